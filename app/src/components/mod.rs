//! Shared view pieces: the page frame, the form fields and the SVG charts.

pub mod charts;
pub mod fields;
pub mod layout;
