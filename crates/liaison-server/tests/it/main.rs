//! The binary's end-to-end tests, linked into one test binary: the subcommands (`cli`), a stream of
//! submissions surviving SIGKILL (`durability`), the demo county (`demo`) and headless Chromium
//! against `serve --demo` (`browser`, and a citizen's way from the front door to a deputy's form:
//! `front_door`). Each starts the real `liaison` executable (`CARGO_BIN_EXE_liaison`).

mod browser;
mod cli;
mod demo;
mod durability;
mod front_door;
mod suggestions;
