//! The binary's own commands, kept out of the library: `serve` and `sandbox` bind sockets and
//! wait for signals, which only a process (not a test) should do.

pub mod net;
pub mod sandbox;
pub mod serve;
