//! Where the month view puts each event inside a week row, as pure arithmetic so it can be
//! tested without a page: an event becomes one piece per week row it touches (a multi-day event
//! is one bar, not a chip per day), each piece gets a lane (a row inside the week that it keeps
//! across all its days, so bars and single-day chips never overlap), and a day whose events do
//! not fit in the lanes a cell has room for shows "+N" instead of the ones that do not fit.

use jiff::ToSpan;
use jiff::civil::Date;

/// The days of one piece inside a week row, as columns 0..7 (Sunday first), both inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cols {
    pub first: usize,
    pub last: usize,
}

impl Cols {
    /// How many days the piece covers in its row (at least one).
    pub fn days(self) -> usize {
        self.last - self.first + 1
    }

    fn covers(self, col: usize) -> bool {
        self.first <= col && col <= self.last
    }
}

/// An event's days `first..=last` cut to the week row starting on `week_start` (a Sunday):
/// its columns there, whether it started in an earlier row and whether it goes on into a later
/// one. `None` when the event does not touch that row.
pub fn piece(first: Date, last: Date, week_start: Date) -> Option<(Cols, bool, bool)> {
    let week_end = week_start.checked_add(6.days()).ok()?;
    if last < week_start || first > week_end {
        return None;
    }
    let col = |d: Date| -> Option<usize> {
        let days = week_start.until(d).ok()?.get_days();
        usize::try_from(days.clamp(0, 6)).ok()
    };
    let cols = Cols {
        first: col(first.max(week_start))?,
        last: col(last.min(week_end))?,
    };
    Some((cols, first < week_start, last > week_end))
}

/// Where one piece went: its lane, and whether it is drawn or counted in its days' "+N".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub lane: usize,
    pub shown: bool,
}

/// A week row's layout: one placement per piece (in the order given) and, per day, how many
/// of the pieces touching it are hidden (the day's "+N"; 0 when everything fits).
#[derive(Debug, PartialEq, Eq)]
pub struct WeekLayout {
    pub placements: Vec<Placement>,
    pub more: [usize; 7],
}

/// Places `pieces` (given in the order they claim lanes: the caller puts longer bars first so
/// they sit on top, as paper calendars draw them) into lanes, each in the lowest lane free on all
/// its days. A cell has room for `max_lanes` lanes; when a day needs more, its last lane shows
/// "+N" instead, so a piece is hidden if its lane is past the last one, or if it is in the last
/// lane and any of its days needs that lane for "+N" (a bar is never drawn cut in half).
pub fn place(pieces: &[Cols], max_lanes: usize) -> WeekLayout {
    let mut taken: Vec<[bool; 7]> = Vec::new();
    let lanes: Vec<usize> = pieces
        .iter()
        .map(|p| {
            let free = |lane: &[bool; 7]| (p.first..=p.last).all(|c| !lane[c]);
            let lane = match taken.iter().position(free) {
                Some(l) => l,
                None => {
                    taken.push([false; 7]);
                    taken.len() - 1
                }
            };
            taken[lane][p.first..=p.last].fill(true);
            lane
        })
        .collect();
    let last_lane = max_lanes.saturating_sub(1);
    // The days where something sits below the last lane: they need that lane for "+N".
    let mut crowded = [false; 7];
    for (p, &lane) in pieces.iter().zip(&lanes) {
        if lane > last_lane {
            crowded[p.first..=p.last].fill(true);
        }
    }
    let mut more = [0; 7];
    let placements = pieces
        .iter()
        .zip(&lanes)
        .map(|(p, &lane)| {
            let shown = lane < last_lane || (lane == last_lane && !(p.first..=p.last).any(|c| crowded[c]));
            if !shown {
                for (c, n) in more.iter_mut().enumerate() {
                    if p.covers(c) {
                        *n += 1;
                    }
                }
            }
            Placement { lane, shown }
        })
        .collect();
    WeekLayout { placements, more }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn cols(first: usize, last: usize) -> Cols {
        Cols { first, last }
    }

    fn lanes(layout: &WeekLayout) -> Vec<usize> {
        layout.placements.iter().map(|p| p.lane).collect()
    }

    #[test]
    fn a_piece_is_cut_at_the_rows_it_touches() {
        // 2026-12-18 (Fri) to 12-20 (Sun): Fri and Sat in the row of the 13th, Sun in the next.
        let (first, last) = (date(2026, 12, 18), date(2026, 12, 20));
        assert_eq!(
            piece(first, last, date(2026, 12, 13)),
            Some((cols(5, 6), false, true))
        );
        assert_eq!(
            piece(first, last, date(2026, 12, 20)),
            Some((cols(0, 0), true, false))
        );
        assert_eq!(piece(first, last, date(2026, 12, 6)), None);
        assert_eq!(piece(first, last, date(2026, 12, 27)), None);
        // A span longer than a row fills the middle rows edge to edge.
        assert_eq!(
            piece(date(2026, 12, 1), date(2026, 12, 31), date(2026, 12, 13)),
            Some((cols(0, 6), true, true))
        );
        // Within one row: neither cue.
        assert_eq!(
            piece(date(2026, 12, 16), date(2026, 12, 18), date(2026, 12, 13)),
            Some((cols(3, 5), false, false))
        );
    }

    #[test]
    fn a_bar_keeps_its_lane_across_its_days() {
        // A bar Wed–Fri, then chips on Wed, Thu and Sat: the chips go under the bar on its
        // days and up to the top lane on Saturday, which the bar does not touch.
        let layout = place(&[cols(3, 5), cols(3, 3), cols(4, 4), cols(6, 6)], 3);
        assert_eq!(lanes(&layout), vec![0, 1, 1, 0]);
        assert!(layout.placements.iter().all(|p| p.shown));
        assert_eq!(layout.more, [0; 7]);
    }

    #[test]
    fn overlapping_bars_stack_and_a_later_bar_reuses_a_freed_lane() {
        let layout = place(&[cols(0, 2), cols(1, 4), cols(3, 6), cols(5, 5)], 4);
        assert_eq!(lanes(&layout), vec![0, 1, 0, 1]);
    }

    #[test]
    fn a_full_day_shows_plus_n_in_its_last_lane() {
        // Six events on Thursday with room for three lanes: two drawn, "+4".
        let pieces = vec![cols(4, 4); 6];
        let layout = place(&pieces, 3);
        assert_eq!(lanes(&layout), vec![0, 1, 2, 3, 4, 5]);
        let shown: Vec<bool> = layout.placements.iter().map(|p| p.shown).collect();
        assert_eq!(shown, vec![true, true, false, false, false, false]);
        assert_eq!(layout.more, [0, 0, 0, 0, 4, 0, 0]);
    }

    #[test]
    fn exactly_full_needs_no_plus_n() {
        let layout = place(&[cols(2, 2); 3], 3);
        assert!(layout.placements.iter().all(|p| p.shown));
        assert_eq!(layout.more, [0; 7]);
    }

    #[test]
    fn a_bar_in_the_last_lane_is_hidden_on_all_its_days_when_one_is_crowded() {
        // Two bars Mon–Wed fill lanes 0 and 1; a third bar Mon–Wed takes lane 2; Tuesday has
        // one more chip (lane 3). The third bar is counted on Mon, Tue and Wed, and Tuesday
        // also counts its chip; Monday and Wednesday show "+1", never half a bar.
        let layout = place(&[cols(1, 3), cols(1, 3), cols(1, 3), cols(2, 2)], 3);
        assert_eq!(lanes(&layout), vec![0, 1, 2, 3]);
        let shown: Vec<bool> = layout.placements.iter().map(|p| p.shown).collect();
        assert_eq!(shown, vec![true, true, false, false]);
        assert_eq!(layout.more, [0, 1, 2, 1, 0, 0, 0]);
    }

    #[test]
    fn a_last_lane_chip_on_a_quiet_day_stays() {
        // Lane 2 is free on Friday's crowded neighbour only: Friday's third chip is drawn.
        let mut pieces = vec![cols(4, 4); 4];
        pieces.extend([cols(5, 5), cols(5, 5), cols(5, 5)]);
        let layout = place(&pieces, 3);
        assert_eq!(layout.more, [0, 0, 0, 0, 2, 0, 0]);
        assert!(layout.placements[4..].iter().all(|p| p.shown));
    }

    #[test]
    fn nothing_to_place() {
        let layout = place(&[], 3);
        assert!(layout.placements.is_empty());
        assert_eq!(layout.more, [0; 7]);
    }
}
