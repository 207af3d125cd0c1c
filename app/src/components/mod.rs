//! Shared view pieces: the page frame and the form fields.

pub mod fields;
pub mod layout;
