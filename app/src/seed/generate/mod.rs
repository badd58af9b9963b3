//! Deterministic generators that fill a database at scale, for benchmarks and manual
//! testing: the same seed gives the same rows (ids included).

pub mod contacts;
pub mod crm;
pub mod projects;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng as _, SeedableRng};
use uuid::Uuid;

/// The generators' source of chance: seeded, so a run can be repeated; not for secrets.
pub(crate) struct Rng(StdRng);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(StdRng::seed_from_u64(seed))
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.choose(&mut self.0).copied().unwrap_or_default()
    }

    /// A number in `0..n`; `n` is never 0.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0.gen_range(0..n)
    }

    pub(crate) fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(self.0.gen()).into_uuid()
    }
}
