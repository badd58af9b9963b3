//! List view component.
