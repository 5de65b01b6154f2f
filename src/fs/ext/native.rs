//! ingot's own writer: number the inodes and count their blocks, refuse what does not fit,
//! then render and stream metadata and file data in one pass.

use std::collections::HashMap;

use super::build::{self, Identity};
use super::geometry::{self, Geometry, GeometryError};
use super::inventory::{check_features, Inventory, Ranges};
use super::{ExtError, ExtParams, Resolved};
use crate::content::Tree;
use crate::disk::Target;

const MIB: u64 = 1024 * 1024;

/// The tree prepared once; inventories are built per block and inode size on demand.
struct Sizing<'a> {
    tree: &'a Tree,
    params: &'a ExtParams,
    resolved: &'a Resolved,
    ranges: Ranges,
    inventories: HashMap<(u32, u32), Inventory>,
}

struct Plan {
    inventory_key: (u32, u32),
    geometry: Geometry,
}

impl<'a> Sizing<'a> {
    fn new(
        tree: &'a Tree,
        params: &'a ExtParams,
        resolved: &'a Resolved,
    ) -> Result<Self, ExtError> {
        check_features(&resolved.options.features)?;
        Ok(Sizing {
            tree,
            params,
            resolved,
            ranges: Ranges::scan(tree)?,
            inventories: HashMap::new(),
        })
    }

    fn key(&self, size: u64) -> (u32, u32) {
        let o = &self.resolved.options;
        let bs = geometry::block_size_for(o, size);
        let isz = o.inode_size.or(o.usage(size).inode_size).unwrap_or(256);
        (bs, isz)
    }

    fn inventory(&mut self, key: (u32, u32)) -> Result<&Inventory, ExtError> {
        if !self.inventories.contains_key(&key) {
            let inv = Inventory::new(
                self.tree,
                self.resolved,
                &self.resolved.options.features,
                &self.ranges,
                key.0,
                key.1,
                self.params.timestamp,
            )?;
            self.inventories.insert(key, inv);
        }
        Ok(&self.inventories[&key])
    }

    /// The layout at `size`, or `None` when the tree does not fit.
    fn plan(&mut self, size: u64) -> Result<Option<Plan>, ExtError> {
        let key = self.key(size);
        let options = self.resolved.options.clone();
        let inv = self.inventory(key)?;
        let geometry = match Geometry::new(size, &options, &inv.features, inv.needed_inodes()) {
            Ok(g) => g,
            Err(GeometryError::Small) => return Ok(None),
            Err(GeometryError::Fatal(e)) => return Err(e),
        };
        if geometry.journal_blocks > 0 && geometry.journal_blocks < 1024 {
            return Err(ExtError::Option {
                option: "-J size".into(),
                reason: "a journal needs at least 1024 blocks".into(),
            });
        }
        match build::fits(inv, &geometry) {
            Ok(()) => Ok(Some(Plan {
                inventory_key: key,
                geometry,
            })),
            Err(_) => Ok(None),
        }
    }

    fn fits(&mut self, size: u64) -> Result<bool, ExtError> {
        Ok(self.plan(size)?.is_some())
    }

    /// Smallest fitting size (multiple of `step`) in [lo, hi), if any.
    fn search(&mut self, lo: u64, hi: u64, step: u64) -> Result<Option<u64>, ExtError> {
        let lo = lo.next_multiple_of(step);
        // Grow until it fits, then bisect between the last miss and the first fit.
        let mut miss = lo.saturating_sub(step);
        let mut probe = lo;
        loop {
            if probe >= hi {
                if hi > lo && self.fits(hi - step)? {
                    probe = hi - step;
                    break;
                }
                return Ok(None);
            }
            if self.fits(probe)? {
                break;
            }
            miss = probe;
            probe = (probe + probe / 4 + step).next_multiple_of(step);
        }
        let mut fit = probe;
        while fit - miss > step {
            let mid = (miss + (fit - miss) / 2) / step * step;
            if mid <= miss {
                break;
            }
            if self.fits(mid)? {
                fit = mid;
            } else {
                miss = mid;
            }
        }
        Ok(Some(fit))
    }

    /// A lower bound: the content blocks alone, at the smallest block size in play.
    fn lower_bound(&mut self) -> Result<u64, ExtError> {
        let key = self.key(1);
        let inv = self.inventory(key)?;
        let blocks: u64 =
            inv.inodes.iter().map(|r| r.data_blocks).sum::<u64>() + inv.xattr_blocks.len() as u64;
        Ok((blocks * u64::from(key.0)).max(64 * 1024))
    }

    /// An upper bound for the search: what content and inodes could possibly need.
    fn upper_bound(&mut self, lb: u64) -> Result<u64, ExtError> {
        let key = self.key(lb);
        let inodes = self.inventory(key)?.needed_inodes();
        let ratio = self.resolved.options.inode_ratio.unwrap_or(0);
        let journal = self.resolved.options.journal_mib.unwrap_or(0) * MIB;
        // A group holds at most 8 × block-size inodes (one bitmap block) in 8 × block-size
        // blocks: many inodes need a block each, however little data they hold.
        let per_inode = u64::from(key.0).max(4096);
        Ok(lb
            .saturating_mul(4)
            .max(inodes.saturating_mul(ratio).saturating_mul(2))
            .max(inodes.saturating_mul(per_inode).saturating_mul(2))
            + 2 * journal
            + (1 << 30))
    }

    fn min_size(&mut self) -> Result<u64, ExtError> {
        let o = &self.resolved.options;
        let lb = self.lower_bound()?;
        let ub = self.upper_bound(lb)?;
        if o.block_size.is_some() || o.usage_types.is_some() {
            let step = u64::from(self.key(lb).0);
            return self.search(lb, ub, step)?.ok_or_else(too_big);
        }
        // Below 512 MiB mke2fs picks 1 KiB blocks, from there on 4 KiB: a size found with
        // small blocks only counts if every bigger size fits too.
        let boundary = 512 * MIB;
        if lb < boundary {
            if let Some(s) = self.search(lb, boundary, 1024)? {
                if self.fits(boundary)? {
                    return Ok(s);
                }
            }
        }
        self.search(lb.max(boundary), ub.max(boundary * 2), 4096)?
            .ok_or_else(too_big)
    }
}

fn too_big() -> ExtError {
    ExtError::Content {
        path: "/".into(),
        reason: "no file system size holds the tree with these options (check -N, -i, -g, -J)"
            .into(),
    }
}

pub fn min_size(tree: &Tree, params: &ExtParams, resolved: &Resolved) -> Result<u64, ExtError> {
    Sizing::new(tree, params, resolved)?.min_size()
}

pub fn write(
    target: &dyn Target,
    tree: &Tree,
    params: &ExtParams,
    resolved: &Resolved,
) -> Result<(), ExtError> {
    let size = target.len();
    let mut sizing = Sizing::new(tree, params, resolved)?;
    let Some(plan) = sizing.plan(size)? else {
        let needed = sizing.min_size()?;
        return Err(ExtError::TooSmall {
            needed,
            available: size,
        });
    };
    let inv = &sizing.inventories[&plan.inventory_key];
    let id = Identity {
        options: &resolved.options,
        label: &resolved.label,
        uuid: resolved.uuid,
        hash_seed: resolved.hash_seed,
        timestamp: params.timestamp,
    };
    target.progress().add_total(tree.file_bytes());
    super::writer::stream(target, tree, u64::from(inv.block_size), |sink| {
        build::render(inv, tree, &plan.geometry, &id, sink)
    })
}
