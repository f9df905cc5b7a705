//! A baseline JPEG writer for pictures made of flat 8×8 blocks (the sandbox's profile pictures).
//!
//! Kakao serves profile pictures as JPEG, and apps re-upload them into message cards, which only
//! accepts JPG, PNG and GIF; an SVG avatar would make that flow fail only in the sandbox. A
//! picture whose every 8×8 block has one colour needs no DCT: each block is its DC coefficient
//! alone, so the writer stays small and exact without an image crate in the build.

/// One 8×8 block's colour, row by row; the picture is `cols × rows` blocks cropped to
/// `width × height` pixels.
pub struct BlockPicture<'a> {
    pub width: u16,
    pub height: u16,
    pub cols: usize,
    pub rows: usize,
    pub block: &'a dyn Fn(usize, usize) -> [u8; 3],
}

/// DC Huffman table: categories 0–11 all get 4-bit codes `0000`…`1011` (code = category).
const DC_BITS: [u8; 16] = [0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// AC Huffman table: only end-of-block, as the one 1-bit code `0`.
const AC_BITS: [u8; 16] = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// The DC quantiser: a flat block's DC coefficient is 8 × (level − 128), so 8 gives it exactly.
const DC_Q: u8 = 8;

struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, len: u32) {
        for i in (0..len).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                self.byte();
            }
        }
    }

    fn byte(&mut self) {
        let b = (self.acc & 0xFF) as u8;
        self.out.push(b);
        if b == 0xFF {
            self.out.push(0); // byte stuffing
        }
        self.acc = 0;
        self.n = 0;
    }

    fn finish(mut self) -> Vec<u8> {
        while self.n != 0 {
            self.put(1, 1);
        }
        self.out
    }
}

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    let len = (body.len() + 2) as u16;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(body);
}

fn ycbcr([r, g, b]: [u8; 3]) -> [i32; 3] {
    let (r, g, b) = (f64::from(r), f64::from(g), f64::from(b));
    let y = 0.299 * r + 0.587 * g + 0.114 * b;
    let cb = 128.0 - 0.168_736 * r - 0.331_264 * g + 0.5 * b;
    let cr = 128.0 + 0.5 * r - 0.418_688 * g - 0.081_312 * b;
    [y, cb, cr].map(|v| v.round().clamp(0.0, 255.0) as i32)
}

/// The number of bits of `v`'s magnitude (JPEG's "category").
fn category(v: i32) -> u32 {
    32 - v.unsigned_abs().leading_zeros()
}

pub fn encode(pic: &BlockPicture<'_>) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    segment(&mut out, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let mut dqt = vec![0u8];
    dqt.extend([DC_Q; 64]);
    segment(&mut out, 0xDB, &dqt);
    let mut sof = vec![8];
    sof.extend_from_slice(&pic.height.to_be_bytes());
    sof.extend_from_slice(&pic.width.to_be_bytes());
    sof.extend_from_slice(&[3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
    segment(&mut out, 0xC0, &sof);
    let mut dht = vec![0x00];
    dht.extend_from_slice(&DC_BITS);
    dht.extend(0u8..12);
    dht.push(0x10);
    dht.extend_from_slice(&AC_BITS);
    dht.push(0x00);
    segment(&mut out, 0xC4, &dht);
    segment(&mut out, 0xDA, &[3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);

    let mut bits = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    let mut pred = [0i32; 3];
    for row in 0..pic.rows {
        for col in 0..pic.cols {
            let levels = ycbcr((pic.block)(col, row));
            for (c, level) in levels.into_iter().enumerate() {
                let dc = level - 128;
                let diff = dc - pred[c];
                pred[c] = dc;
                let cat = category(diff);
                bits.put(cat, 4);
                if cat > 0 {
                    let raw = if diff < 0 { diff + (1 << cat) - 1 } else { diff };
                    bits.put(raw as u32, cat);
                }
                bits.put(0, 1); // end of block: every AC coefficient is zero
            }
        }
    }
    out.extend(bits.finish());
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_and_header() {
        assert_eq!(
            (category(0), category(1), category(-3), category(255)),
            (0, 1, 2, 8)
        );
        let jpeg = encode(&BlockPicture {
            width: 20,
            height: 12,
            cols: 3,
            rows: 2,
            block: &|c, r| {
                if (c + r) % 2 == 0 {
                    [255, 0, 0]
                } else {
                    [0, 0, 255]
                }
            },
        });
        assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(jpeg.ends_with(&[0xFF, 0xD9]));
        let sniffed = crate::image_upload::sniff(&jpeg).unwrap();
        assert_eq!(
            (sniffed.content_type, sniffed.width, sniffed.height),
            ("image/jpeg", 20, 12)
        );
    }
}
