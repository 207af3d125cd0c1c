//! Pages of this record type (filled in below).
