//! Faults of the process, the disk and the clock: the server is killed mid-journey, its disk
//! fills up, its clock jumps. People may have to wait or start again; nothing is half-made,
//! lost or accepted twice.

mod clock;
mod disk;
mod kill;
mod person;
