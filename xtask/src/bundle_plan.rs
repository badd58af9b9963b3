//! Which bundle each module goes in (xtask/src/bundle.rs). A lazy function whose bundle,
//! every module it needs, stays within a page's budget keeps that one bundle. The large ones
//! (the sections that hold the most records and the list engine) share most of their code:
//! in one bundle each, a first visit to the contacts' list downloaded the modules the two
//! have in common twice, and a phone that had seen one section downloaded them again for the
//! next. So the modules that two or more large functions need go in shared bundles, and a
//! large function's own bundle keeps only what no other large one needs.
//!
//! The shared modules are first grouped by the set of large functions that need them; the
//! groups are then merged while a merge saves more than it costs: each function that needs
//! both saves a request, each function that needs only one downloads the other's bytes for
//! nothing.

use std::collections::{BTreeMap, BTreeSet};

/// What one more request among a page's parallel fetches costs, in bytes of a module before
/// compression: about 25 KB sent, what the phone profile's link (1.6 Mbit/s) carries in a
/// round trip of its 150 ms. Cheaper requests split the shared code into more, smaller
/// bundles that brotli compresses worse one by one: every large section's first visit grew.
const REQUEST_BYTES: u64 = 96_000;

/// The most a shared bundle holds, before compression: about 180 KB with brotli.
const SHARED_MAX_BYTES: u64 = 720_000;

/// Where the modules go.
#[derive(Debug, PartialEq)]
pub struct Plan {
    /// The shared bundles' chunks.
    pub shared: Vec<Vec<u32>>,
    /// Each lazy function's chunks in its own bundle, and the shared bundles it needs.
    pub entries: BTreeMap<String, (Vec<u32>, Vec<usize>)>,
}

struct Group {
    users: BTreeSet<String>,
    chunks: Vec<u32>,
    bytes: u64,
}

impl Group {
    /// What merging two groups costs: the bytes each function downloads for nothing, less
    /// the requests the functions needing both save. Negative when it pays.
    fn merge_cost(&self, other: &Group) -> i128 {
        let only = |a: &Group, b: &Group| a.users.difference(&b.users).count() as i128;
        let both = self.users.intersection(&other.users).count() as i128;
        i128::from(self.bytes) * only(other, self) + i128::from(other.bytes) * only(self, other)
            - i128::from(REQUEST_BYTES) * both
    }
}

/// `needs`: each lazy function's chunks; `bytes`: each chunk's size; `large`: the functions
/// whose whole bundle would pass a page's budget.
pub fn plan(
    needs: &BTreeMap<String, Vec<u32>>,
    bytes: &BTreeMap<u32, u64>,
    large: &BTreeSet<String>,
) -> Plan {
    let mut users: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    for (function, chunks) in needs.iter().filter(|(f, _)| large.contains(*f)) {
        for chunk in chunks {
            users.entry(*chunk).or_default().insert(function.clone());
        }
    }
    let mut by_users: BTreeMap<BTreeSet<String>, Vec<u32>> = BTreeMap::new();
    for (chunk, users) in users.into_iter().filter(|(_, u)| u.len() > 1) {
        by_users.entry(users).or_default().push(chunk);
    }
    let mut groups: Vec<Group> = by_users
        .into_iter()
        .map(|(users, chunks)| Group {
            bytes: chunks
                .iter()
                .map(|c| bytes.get(c).copied().unwrap_or(0))
                .sum(),
            users,
            chunks,
        })
        .collect();
    while let Some((i, j)) = cheapest_merge(&groups) {
        let b = groups.remove(j);
        let a = &mut groups[i];
        a.users.extend(b.users);
        a.chunks.extend(b.chunks);
        a.chunks.sort_unstable();
        a.bytes += b.bytes;
    }
    groups.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.chunks.cmp(&b.chunks)));

    let entries = needs
        .iter()
        .map(|(function, chunks)| {
            let shared: Vec<usize> = (0..groups.len())
                .filter(|&i| groups[i].users.contains(function))
                .collect();
            let own = chunks
                .iter()
                .copied()
                .filter(|c| !shared.iter().any(|&i| groups[i].chunks.contains(c)))
                .collect();
            (function.clone(), (own, shared))
        })
        .collect();
    Plan {
        shared: groups.into_iter().map(|g| g.chunks).collect(),
        entries,
    }
}

/// The pair of groups whose merge pays the most and stays within a shared bundle's size.
fn cheapest_merge(groups: &[Group]) -> Option<(usize, usize)> {
    let mut best: Option<(i128, usize, usize)> = None;
    for i in 0..groups.len() {
        for j in i + 1..groups.len() {
            if groups[i].bytes + groups[j].bytes > SHARED_MAX_BYTES {
                continue;
            }
            let cost = groups[i].merge_cost(&groups[j]);
            if cost < 0 && best.is_none_or(|(b, _, _)| cost < b) {
                best = Some((cost, i, j));
            }
        }
    }
    best.map(|(_, i, j)| (i, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs(list: &[(&str, &[u32])]) -> BTreeMap<String, Vec<u32>> {
        list.iter()
            .map(|(f, chunks)| (f.to_string(), chunks.to_vec()))
            .collect()
    }

    fn set(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn what_two_large_functions_share_goes_in_a_shared_bundle() {
        let needs = needs(&[
            ("contacts", &[1, 2, 3]),
            ("lists", &[2, 3, 4]),
            ("board", &[1, 2]),
        ]);
        let bytes = BTreeMap::from([(1, 500_000), (2, 300_000), (3, 100_000), (4, 50_000)]);
        let plan = plan(&needs, &bytes, &set(&["contacts", "lists"]));
        assert_eq!(plan.shared, [vec![2, 3]]);
        assert_eq!(plan.entries["contacts"], (vec![1], vec![0]));
        assert_eq!(plan.entries["lists"], (vec![4], vec![0]));
        // A function within the budget keeps every module it needs in its own bundle.
        assert_eq!(plan.entries["board"], (vec![1, 2], vec![]));
    }

    #[test]
    fn small_groups_merge_and_large_ones_stay_apart() {
        let needs = needs(&[("a", &[1, 2, 3, 4]), ("b", &[1, 2, 3]), ("c", &[1, 3, 4])]);
        // 1: all three (large); 2: a and b; 3: all three (small); 4: a and c (small).
        let bytes = BTreeMap::from([(1, 400_000), (2, 400_000), (3, 1_000), (4, 2_000)]);
        let plan = plan(&needs, &bytes, &set(&["a", "b", "c"]));
        // 3 and 4 join 1: b downloads 2 KB for nothing instead of making a request more.
        // 2 stays apart: c would download 400 KB for nothing, and 1 and 2 pass the maximum.
        assert_eq!(plan.shared, [vec![1, 3, 4], vec![2]]);
        assert_eq!(plan.entries["a"], (vec![], vec![0, 1]));
        assert_eq!(plan.entries["c"], (vec![], vec![0]));
    }

    #[test]
    fn without_large_functions_each_keeps_its_own_bundle() {
        let needs = needs(&[("a", &[1, 2]), ("b", &[2])]);
        let bytes = BTreeMap::from([(1, 10), (2, 10)]);
        let plan = plan(&needs, &bytes, &BTreeSet::new());
        assert!(plan.shared.is_empty());
        assert_eq!(plan.entries["a"], (vec![1, 2], vec![]));
    }
}
