//! Lays the release server's hot functions out side by side (issue 22: resident memory).
//!
//! The kernel maps a binary's code 64 KiB at a time around each page it first runs, so how much
//! of the code is resident depends on how scattered the functions it runs are, not only on how
//! many. One optimisation unit (`lto = "fat"`, `codegen-units = 1`) scatters them all over the
//! 17 MB of code: a server that had answered nothing held 12 MB of it. `hot-functions.txt` lists
//! the functions the server runs while it starts and while it serves the benchmarks (written by
//! `scripts/hot-functions.sh` from callgrind), and the linker puts them first, together.
//!
//! Only the `gachi` binary of a release build on x86-64 Linux, which links with LLD (Rust's
//! default linker there since 1.90). Names the build no longer has are skipped without a
//! warning, so a stale list costs only memory, never a failed build.

use std::env;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=hot-functions.txt");
    let release = env::var("PROFILE").is_ok_and(|profile| profile == "release");
    let lld_target = env::var("TARGET").is_ok_and(|target| target == "x86_64-unknown-linux-gnu");
    if !(release && lld_target) {
        return;
    }
    let Ok(dir) = env::var("CARGO_MANIFEST_DIR") else {
        return;
    };
    let list = Path::new(&dir).join("hot-functions.txt");
    if list.is_file() {
        println!(
            "cargo:rustc-link-arg-bin=gachi=-Wl,--symbol-ordering-file={}",
            list.display()
        );
        println!("cargo:rustc-link-arg-bin=gachi=-Wl,--no-warn-symbol-ordering");
    }
}
