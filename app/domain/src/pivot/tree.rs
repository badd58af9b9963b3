//! The groups of one pivot axis as a tree: made from the cells' paths, each group's
//! children sorted once, and the list of shown headers remade when groups open or close, in
//! as many steps as there are shown headers.

use super::grid::{Header, NodeId};
use super::layout::{Expansion, Level};
use super::path::GroupPath;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// The root of both trees: the total.
pub(super) const TOTAL: u32 = 0;

#[derive(Debug)]
struct Node {
    parent: u32,
    key: Option<String>,
    depth: usize,
    /// In the order shown.
    children: Vec<u32>,
    by_key: HashMap<Option<String>, u32>,
}

impl Node {
    fn new(parent: u32, key: Option<String>, depth: usize) -> Node {
        Node {
            parent,
            key,
            depth,
            children: Vec::new(),
            by_key: HashMap::new(),
        }
    }
}

/// Where an open group's own figures go: above its groups (rows), or after them (columns,
/// so that the grand total closes the table on the right).
#[derive(Clone, Copy, Debug)]
pub(super) enum TotalAt {
    First,
    Last,
}

/// The groups of one axis, as the cells name them.
#[derive(Debug)]
pub(super) struct Tree {
    pub(super) levels: Vec<Level>,
    nodes: Vec<Node>,
    total_at: TotalAt,
    /// Every group open except `listed`, or only `listed`.
    all: bool,
    listed: HashSet<u32>,
    /// The shown nodes, in order.
    pub(super) visible: Vec<u32>,
}

impl Tree {
    pub(super) fn new(levels: &[Level], total_at: TotalAt) -> Tree {
        Tree {
            levels: levels.to_vec(),
            nodes: vec![Node::new(TOTAL, None, 0)],
            total_at,
            all: false,
            listed: HashSet::new(),
            visible: vec![TOTAL],
        }
    }

    /// The node of `path`, made on first sight; `None` past the levels.
    pub(super) fn node_for(&mut self, path: &[Option<String>]) -> Option<u32> {
        if path.len() > self.levels.len() {
            return None;
        }
        let mut node = TOTAL;
        for key in path {
            let found = self.nodes[node as usize].by_key.get(key).copied();
            node = match found {
                Some(child) => child,
                None => {
                    let child = u32::try_from(self.nodes.len()).ok()?;
                    let depth = self.nodes[node as usize].depth + 1;
                    self.nodes.push(Node::new(node, key.clone(), depth));
                    let parent = &mut self.nodes[node as usize];
                    parent.by_key.insert(key.clone(), child);
                    parent.children.push(child);
                    child
                }
            };
        }
        Some(node)
    }

    /// The node of `path`, if the cells name it.
    fn find(&self, path: &[Option<String>]) -> Option<u32> {
        path.iter().try_fold(TOTAL, |node, key| {
            self.nodes[node as usize].by_key.get(key).copied()
        })
    }

    fn path_of(&self, mut node: u32) -> GroupPath {
        let mut path = Vec::with_capacity(self.nodes[node as usize].depth);
        while node != TOTAL {
            let current = &self.nodes[node as usize];
            path.push(current.key.clone());
            node = current.parent;
        }
        path.reverse();
        path
    }

    fn expandable(&self, node: u32) -> bool {
        !self.nodes[node as usize].children.is_empty()
    }

    fn expanded(&self, node: u32) -> bool {
        self.expandable(node) && (node == TOTAL || self.all != self.listed.contains(&node))
    }

    pub(super) fn node_at(&self, index: usize) -> Option<u32> {
        self.visible.get(index).copied()
    }

    pub(super) fn header(&self, node: u32) -> Header {
        let current = &self.nodes[node as usize];
        Header {
            node: NodeId(node),
            depth: current.depth,
            key: current.key.clone(),
            path: self.path_of(node),
            expandable: self.expandable(node),
            expanded: self.expanded(node),
            total: node == TOTAL,
        }
    }

    /// Opens the groups `expansion` names (paths the cells do not name are skipped) and
    /// lists what is shown: as many steps as shown headers.
    pub(super) fn open(&mut self, expansion: &Expansion) {
        self.all = expansion.all;
        self.listed = expansion
            .paths
            .iter()
            .filter_map(|path| self.find(path))
            .collect();
        let mut visible = Vec::new();
        // (node, whether its groups are already listed)
        let mut stack = vec![(TOTAL, false)];
        while let Some((node, groups_listed)) = stack.pop() {
            if groups_listed || !self.expanded(node) {
                visible.push(node);
                continue;
            }
            match self.total_at {
                TotalAt::First => visible.push(node),
                TotalAt::Last => stack.push((node, true)),
            }
            for &child in self.nodes[node as usize].children.iter().rev() {
                stack.push((child, false));
            }
        }
        self.visible = visible;
    }

    /// Orders each group's children: the group without a value last, then by `rank` when
    /// given, then by key. Keys that are numbers sort by value, before other text.
    pub(super) fn sort(&mut self, rank: Option<&dyn Fn(u32) -> Rank>) {
        for parent in 0..self.nodes.len() {
            if let Some(sorted) = self.sorted_children(parent, rank) {
                self.nodes[parent].children = sorted;
            }
        }
    }

    fn sorted_children(
        &self,
        parent: usize,
        rank: Option<&dyn Fn(u32) -> Rank>,
    ) -> Option<Vec<u32>> {
        let children = &self.nodes[parent].children;
        if children.len() < 2 {
            return None;
        }
        let mut keyed: Vec<(bool, Option<Rank>, KeyOrder<'_>, u32)> = children
            .iter()
            .map(|&child| {
                let key = self.nodes[child as usize].key.as_deref();
                (
                    key.is_none(),
                    rank.map(|rank| rank(child)),
                    KeyOrder::of(key),
                    child,
                )
            })
            .collect();
        keyed.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
        Some(keyed.into_iter().map(|(.., child)| child).collect())
    }
}

/// A group's figures for the sorted measure, one per slot, compared in slot order: by value
/// as the sort asks, a missing figure after any figure. Money in several currencies is
/// compared currency by currency, never added up.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Rank {
    pub(super) figures: Vec<Option<Decimal>>,
    pub(super) descending: bool,
}

impl Ord for Rank {
    fn cmp(&self, other: &Self) -> Ordering {
        for (mine, theirs) in self.figures.iter().zip(&other.figures) {
            let order = match (mine, theirs) {
                (Some(mine), Some(theirs)) if self.descending => theirs.cmp(mine),
                (Some(mine), Some(theirs)) => mine.cmp(theirs),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        self.figures.len().cmp(&other.figures.len())
    }
}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// How a key sorts among its siblings: numbers by value (and text to break ties, `1.0`
/// before `1.00`), before other text by its characters.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum KeyOrder<'a> {
    Number(Decimal, &'a str),
    Text(&'a str),
    Missing,
}

impl<'a> KeyOrder<'a> {
    fn of(key: Option<&'a str>) -> KeyOrder<'a> {
        match key {
            None => KeyOrder::Missing,
            Some(text) => match text.parse::<Decimal>() {
                Ok(number) => KeyOrder::Number(number, text),
                Err(_) => KeyOrder::Text(text),
            },
        }
    }
}
