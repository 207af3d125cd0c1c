//! The resident's pages: their record, read from the phone's store.
