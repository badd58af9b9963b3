//! Directory pages.
