# Sourced by the benchmark scripts: the release server and the bare yardstick, unless SKIP_BUILD.
# Two builds, not one: building the example with the server would unify the package's
# dev-dependency features into the server's dependencies, and the server would differ (in its
# symbols, so crates/gachi/hot-functions.txt would no longer match it) from the one
# `cargo run --release -- serve` builds.
if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release -q -p gachi --bin gachi
  cargo build --release -q -p gachi --example bare_axum
fi
