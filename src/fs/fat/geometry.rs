//! Where things go in a FAT file system of a given size: cluster size, FAT size, root
//! directory, data area. 512-byte sectors, two FATs.

use super::FatKind;

pub(crate) use crate::disk::SECTOR;
pub(crate) const FATS: u32 = 2;
/// Root directory entries of FAT16 unless the root needs more (mkfs.fat's default).
pub(crate) const ROOT_ENTRIES_MIN: u32 = 512;

/// The fewest clusters Microsoft's FAT specification gives FAT32; below, Windows would read
/// the count as FAT16's. Linux and dosfstools tell FAT32 by its BPB (no 16-bit FAT size), so
/// mkfs.fat -F 32 makes smaller ones with a warning, and so does ingot.
pub const FAT32_SPEC_MIN_CLUSTERS: u32 = 65525;

/// Valid cluster counts: fewer than 4085 clusters reads as FAT12; FAT32 down to one cluster
/// (see `FAT32_SPEC_MIN_CLUSTERS`).
fn cluster_range(kind: FatKind) -> (u32, u32) {
    match kind {
        FatKind::Fat16 => (4085, 65524),
        FatKind::Fat32 => (1, 0x0fff_fff5),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Geometry {
    pub kind: FatKind,
    pub total_sectors: u32,
    pub sectors_per_cluster: u32,
    pub reserved_sectors: u32,
    pub fat_sectors: u32,
    /// FAT16 only (0 on FAT32).
    pub root_entries: u32,
    pub clusters: u32,
}

impl Geometry {
    /// The layout of a `total_sectors` file system, or None when `kind` cannot have that size.
    /// `root_entries` is what the root directory needs (FAT16 makes room for at least that).
    pub fn new(total_sectors: u64, kind: FatKind, root_entries: u32) -> Option<Geometry> {
        let total = u32::try_from(total_sectors).ok()?;
        let (min, max) = cluster_range(kind);
        let root_entries = match kind {
            FatKind::Fat16 => root_entries.max(ROOT_ENTRIES_MIN).next_multiple_of(16),
            FatKind::Fat32 => 0,
        };
        let mut spc = default_spc(kind, total);
        // Small volumes: smaller clusters to reach the minimum count; large ones: bigger
        // clusters to stay under the maximum (32 KiB at most, what every driver reads).
        while spc > 1
            && Self::with(kind, total, spc, root_entries).is_some_and(|g| g.clusters < min)
        {
            spc /= 2;
        }
        while spc < 64
            && Self::with(kind, total, spc, root_entries).is_some_and(|g| g.clusters > max)
        {
            spc *= 2;
        }
        Self::with(kind, total, spc, root_entries).filter(|g| (min..=max).contains(&g.clusters))
    }

    fn with(kind: FatKind, total: u32, spc: u32, root_entries: u32) -> Option<Geometry> {
        let reserved = match kind {
            FatKind::Fat16 => 1,
            FatKind::Fat32 => 32,
        };
        let entry_bytes = match kind {
            FatKind::Fat16 => 2,
            FatKind::Fat32 => 4,
        };
        let root_sectors = (root_entries * 32).div_ceil(SECTOR as u32);
        // Grow the FAT until it covers every cluster of what remains after it.
        let mut fat = 1u32;
        loop {
            let data = total.checked_sub(reserved + root_sectors + FATS * fat)?;
            let clusters = data / spc;
            let need = ((u64::from(clusters) + 2) * entry_bytes).div_ceil(SECTOR) as u32;
            if need <= fat {
                return Some(Geometry {
                    kind,
                    total_sectors: total,
                    sectors_per_cluster: spc,
                    reserved_sectors: reserved,
                    fat_sectors: fat,
                    root_entries,
                    clusters,
                });
            }
            fat = need;
        }
    }

    pub fn cluster_bytes(&self) -> u64 {
        u64::from(self.sectors_per_cluster) * SECTOR
    }

    pub fn fat_offset(&self, copy: u32) -> u64 {
        u64::from(self.reserved_sectors + copy * self.fat_sectors) * SECTOR
    }

    pub fn root_dir_offset(&self) -> u64 {
        self.fat_offset(FATS)
    }

    fn root_dir_sectors(&self) -> u32 {
        (self.root_entries * 32).div_ceil(SECTOR as u32)
    }

    pub fn data_offset(&self) -> u64 {
        u64::from(self.reserved_sectors + FATS * self.fat_sectors + self.root_dir_sectors())
            * SECTOR
    }

    /// Byte offset of data cluster `cluster` (numbered from 2).
    pub fn cluster_offset(&self, cluster: u32) -> u64 {
        self.data_offset() + u64::from(cluster - 2) * self.cluster_bytes()
    }
}

/// Microsoft's default cluster sizes by volume size (FAT specification, "FAT type
/// determination"), in sectors.
fn default_spc(kind: FatKind, total: u32) -> u32 {
    match kind {
        FatKind::Fat16 => match total {
            0..=32_680 => 2,
            32_681..=262_144 => 4,
            262_145..=524_288 => 8,
            524_289..=1_048_576 => 16,
            1_048_577..=2_097_152 => 32,
            _ => 64,
        },
        FatKind::Fat32 => match total {
            0..=532_480 => 1,
            532_481..=16_777_216 => 8,
            16_777_217..=33_554_432 => 16,
            33_554_433..=67_108_864 => 32,
            _ => 64,
        },
    }
}

/// The smallest and largest sizes (in sectors) a `kind` file system can have.
pub(crate) fn size_range(kind: FatKind, root_entries: u32) -> (u64, u64) {
    let valid = |n: u64| Geometry::new(n, kind, root_entries).is_some();
    // Valid sizes form one interval; find a valid point, then both ends.
    let probe = match kind {
        FatKind::Fat16 => 64 * 2048,   // 64 MiB
        FatKind::Fat32 => 1024 * 2048, // 1 GiB
    };
    debug_assert!(valid(probe));
    let lowest = first_true(1, probe, valid);
    let highest = first_true(probe, u64::from(u32::MAX) + 1, |n| !valid(n)) - 1;
    (lowest, highest)
}

/// The first n in lo..=hi with pred(n), for a pred that is false then true; hi if none.
pub(crate) fn first_true(mut lo: u64, mut hi: u64, pred: impl Fn(u64) -> bool) -> u64 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guix_esp_is_fat16_with_2k_clusters() {
        let g = Geometry::new(40 * 2048, FatKind::Fat16, 0).unwrap();
        assert_eq!(g.sectors_per_cluster, 4);
        assert_eq!(g.root_entries, 512);
        assert!(g.clusters >= 4085);
        // The FAT covers every cluster, and is not bigger than one sector more than needed.
        let need = (u64::from(g.clusters) + 2) * 2;
        assert!(u64::from(g.fat_sectors) * SECTOR >= need);
        assert!(u64::from(g.fat_sectors - 1) * SECTOR < need);
        assert!(g.cluster_offset(g.clusters + 1) + g.cluster_bytes() <= 40 << 20);
    }

    #[test]
    fn ranges() {
        let (lo16, hi16) = size_range(FatKind::Fat16, 0);
        assert!(Geometry::new(lo16 - 1, FatKind::Fat16, 0).is_none());
        assert_eq!(
            Geometry::new(lo16, FatKind::Fat16, 0).unwrap().clusters,
            4085
        );
        assert!((2 << 20..3 << 20).contains(&(lo16 * SECTOR)), "{lo16}");
        assert!(Geometry::new(hi16 + 1, FatKind::Fat16, 0).is_none());
        assert!(hi16 * SECTOR > 2000 << 20, "{hi16}");
        let (lo32, _) = size_range(FatKind::Fat32, 0);
        assert_eq!(Geometry::new(lo32, FatKind::Fat32, 0).unwrap().clusters, 1);
        let spec = Geometry::new(33 << 11, FatKind::Fat32, 0).unwrap();
        assert!(spec.clusters >= FAT32_SPEC_MIN_CLUSTERS);
        // A big root directory on FAT16 gets room.
        let g = Geometry::new(40 * 2048, FatKind::Fat16, 1000).unwrap();
        assert_eq!(g.root_entries, 1008);
    }
}
