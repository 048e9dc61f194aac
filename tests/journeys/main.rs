//! One integration binary: the real server over real HTTP, mail read back from the mail
//! folder or from a real SMTP server, and a real browser.

mod helpers;
mod registration;
