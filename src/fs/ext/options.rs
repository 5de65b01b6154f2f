//! mke2fs-style file-system options (Guix's `file-system-options`), parsed once and used by both
//! backends. Every option is either understood or refused with a message naming it: nothing is
//! silently dropped.

use super::{ExtError, ExtKind};
use crate::model::Uuid;

pub const COMPAT_HAS_JOURNAL: u32 = 0x4;
pub const COMPAT_EXT_ATTR: u32 = 0x8;
pub const COMPAT_RESIZE_INODE: u32 = 0x10;
pub const COMPAT_DIR_INDEX: u32 = 0x20;

pub const INCOMPAT_FILETYPE: u32 = 0x2;
pub const INCOMPAT_EXTENTS: u32 = 0x40;
pub const INCOMPAT_64BIT: u32 = 0x80;
pub const INCOMPAT_FLEX_BG: u32 = 0x200;
pub const INCOMPAT_CSUM_SEED: u32 = 0x2000;
pub const INCOMPAT_LARGEDIR: u32 = 0x4000;

pub const RO_COMPAT_SPARSE_SUPER: u32 = 0x1;
pub const RO_COMPAT_LARGE_FILE: u32 = 0x2;
pub const RO_COMPAT_HUGE_FILE: u32 = 0x8;
pub const RO_COMPAT_DIR_NLINK: u32 = 0x20;
pub const RO_COMPAT_EXTRA_ISIZE: u32 = 0x40;
pub const RO_COMPAT_METADATA_CSUM: u32 = 0x400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    Compat,
    Incompat,
    RoCompat,
}

/// Feature names as e2fsprogs spells them (lib/e2p), with their superblock bits.
const FEATURES: &[(&str, Set, u32)] = &[
    ("dir_prealloc", Set::Compat, 0x1),
    ("imagic_inodes", Set::Compat, 0x2),
    ("has_journal", Set::Compat, COMPAT_HAS_JOURNAL),
    ("ext_attr", Set::Compat, COMPAT_EXT_ATTR),
    ("resize_inode", Set::Compat, COMPAT_RESIZE_INODE),
    ("dir_index", Set::Compat, COMPAT_DIR_INDEX),
    ("lazy_bg", Set::Compat, 0x40),
    ("snapshot_bitmap", Set::Compat, 0x100),
    ("sparse_super2", Set::Compat, 0x200),
    ("fast_commit", Set::Compat, 0x400),
    ("stable_inodes", Set::Compat, 0x800),
    ("orphan_file", Set::Compat, 0x1000),
    ("sparse_super", Set::RoCompat, RO_COMPAT_SPARSE_SUPER),
    ("large_file", Set::RoCompat, RO_COMPAT_LARGE_FILE),
    ("huge_file", Set::RoCompat, RO_COMPAT_HUGE_FILE),
    ("uninit_bg", Set::RoCompat, 0x10),
    ("uninit_groups", Set::RoCompat, 0x10),
    ("dir_nlink", Set::RoCompat, RO_COMPAT_DIR_NLINK),
    ("extra_isize", Set::RoCompat, RO_COMPAT_EXTRA_ISIZE),
    ("quota", Set::RoCompat, 0x100),
    ("bigalloc", Set::RoCompat, 0x200),
    ("metadata_csum", Set::RoCompat, RO_COMPAT_METADATA_CSUM),
    ("replica", Set::RoCompat, 0x800),
    ("read-only", Set::RoCompat, 0x1000),
    ("project", Set::RoCompat, 0x2000),
    ("shared_blocks", Set::RoCompat, 0x4000),
    ("verity", Set::RoCompat, 0x8000),
    ("compression", Set::Incompat, 0x1),
    ("filetype", Set::Incompat, INCOMPAT_FILETYPE),
    ("needs_recovery", Set::Incompat, 0x4),
    ("journal_dev", Set::Incompat, 0x8),
    ("meta_bg", Set::Incompat, 0x10),
    ("extent", Set::Incompat, INCOMPAT_EXTENTS),
    ("extents", Set::Incompat, INCOMPAT_EXTENTS),
    ("64bit", Set::Incompat, INCOMPAT_64BIT),
    ("mmp", Set::Incompat, 0x100),
    ("flex_bg", Set::Incompat, INCOMPAT_FLEX_BG),
    ("ea_inode", Set::Incompat, 0x400),
    ("dirdata", Set::Incompat, 0x1000),
    ("metadata_csum_seed", Set::Incompat, INCOMPAT_CSUM_SEED),
    ("large_dir", Set::Incompat, INCOMPAT_LARGEDIR),
    ("inline_data", Set::Incompat, 0x8000),
    ("encrypt", Set::Incompat, 0x10000),
    ("casefold", Set::Incompat, 0x20000),
    ("fname_encoding", Set::Incompat, 0x20000),
];

/// The three feature words of the superblock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Features {
    pub compat: u32,
    pub incompat: u32,
    pub ro_compat: u32,
}

impl Features {
    /// What mke2fs enables by default (Debian's mke2fs.conf), `resize_inode` aside: only the
    /// mke2fs backend reserves GDT blocks for online growth.
    pub fn defaults(kind: ExtKind) -> Self {
        let mut f = Features {
            compat: COMPAT_EXT_ATTR | COMPAT_DIR_INDEX,
            incompat: INCOMPAT_FILETYPE,
            ro_compat: RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE,
        };
        match kind {
            ExtKind::Ext2 => {}
            ExtKind::Ext3 => f.compat |= COMPAT_HAS_JOURNAL,
            ExtKind::Ext4 => {
                f.compat |= COMPAT_HAS_JOURNAL;
                f.incompat |= INCOMPAT_EXTENTS | INCOMPAT_FLEX_BG | INCOMPAT_64BIT;
                f.ro_compat |= RO_COMPAT_HUGE_FILE
                    | RO_COMPAT_METADATA_CSUM
                    | RO_COMPAT_DIR_NLINK
                    | RO_COMPAT_EXTRA_ISIZE;
            }
        }
        f
    }

    fn word(&mut self, set: Set) -> &mut u32 {
        match set {
            Set::Compat => &mut self.compat,
            Set::Incompat => &mut self.incompat,
            Set::RoCompat => &mut self.ro_compat,
        }
    }

    pub fn has_compat(&self, bit: u32) -> bool {
        self.compat & bit != 0
    }
    pub fn has_incompat(&self, bit: u32) -> bool {
        self.incompat & bit != 0
    }
    pub fn has_ro_compat(&self, bit: u32) -> bool {
        self.ro_compat & bit != 0
    }

    /// Names of the features set, for messages.
    pub fn names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut seen = Features::default();
        for (name, set, bit) in FEATURES {
            let mut copy = *self;
            if *copy.word(*set) & bit != 0 && *seen.word(*set) & bit == 0 {
                *seen.word(*set) |= bit;
                out.push(*name);
            }
        }
        out
    }

    /// Applies an `-O` argument: comma- or space-separated names, `^name` clears, `none` clears
    /// everything.
    pub fn edit(&mut self, spec: &str) -> Result<(), ExtError> {
        for item in spec
            .split([',', ' ', '\t'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (clear, name) = match item.as_bytes()[0] {
                b'^' | b'-' => (true, &item[1..]),
                b'+' => (false, &item[1..]),
                _ => (false, item),
            };
            if !clear && (name == "none" || name == "clear") {
                *self = Features::default();
                continue;
            }
            let Some((_, set, bit)) = FEATURES.iter().find(|(n, _, _)| *n == name) else {
                return Err(ExtError::Option {
                    option: format!("-O {spec}"),
                    reason: format!("unknown file system feature '{name}'"),
                });
            };
            if clear {
                *self.word(*set) &= !bit;
            } else {
                *self.word(*set) |= bit;
            }
        }
        Ok(())
    }
}

/// mke2fs usage types (-T, or chosen by size) and what they set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UsageType {
    pub block_size: Option<u32>,
    pub inode_ratio: Option<u64>,
    pub inode_size: Option<u32>,
}

fn usage_type(name: &str) -> Option<UsageType> {
    let t = |bs, ratio, isize| UsageType {
        block_size: bs,
        inode_ratio: ratio,
        inode_size: isize,
    };
    Some(match name {
        "default" | "ext2" | "ext3" | "ext4" => t(None, None, None),
        "small" => t(Some(1024), Some(4096), None),
        "floppy" => t(Some(1024), Some(8192), None),
        "big" => t(None, Some(32768), None),
        "huge" => t(None, Some(65536), None),
        "news" => t(None, Some(4096), None),
        "largefile" => t(None, Some(1024 * 1024), None),
        "largefile4" => t(None, Some(4 * 1024 * 1024), None),
        "hurd" => t(Some(4096), None, Some(128)),
        _ => return None,
    })
}

/// The size class mke2fs picks when no -T is given (misc/mke2fs.c, parse_fs_type).
pub fn size_type(fs_bytes: u64) -> &'static str {
    const MIB: u64 = 1024 * 1024;
    if fs_bytes < 3 * MIB {
        "floppy"
    } else if fs_bytes < 512 * MIB {
        "small"
    } else if fs_bytes < 4 * 1024 * 1024 * MIB {
        "default"
    } else if fs_bytes < 16 * 1024 * 1024 * MIB {
        "big"
    } else {
        "huge"
    }
}

/// What the options ask for. `None` means "as mke2fs would choose".
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub kind: ExtKind,
    pub features: Features,
    /// The -O arguments as given, in order (the mke2fs backend passes them on).
    pub feature_edits: Vec<String>,
    pub label: Option<String>,
    pub uuid: Option<Uuid>,
    pub hash_seed: Option<Uuid>,
    pub block_size: Option<u32>,
    pub inode_size: Option<u32>,
    pub inode_count: Option<u64>,
    pub inode_ratio: Option<u64>,
    pub reserved_percent: Option<f64>,
    pub journal_mib: Option<u64>,
    pub blocks_per_group: Option<u32>,
    pub flex_size: Option<u32>,
    pub usage_types: Option<String>,
    /// 1 continue, 2 remount-ro, 3 panic.
    pub errors: Option<u16>,
    pub last_mounted: Option<String>,
    pub root_owner: Option<(u32, u32)>,
    pub stride: Option<u32>,
    pub stripe_width: Option<u32>,
    pub test_fs: bool,
    /// `-o hurd`: the Hurd as creator OS, which Guix's Hurd images ask for. Read so that a dry
    /// run can size and show the partition; writing it is refused (see `write_in`).
    pub creator_hurd: bool,
    /// Extended options that only tune how mke2fs writes (lazy init, discard): accepted, and
    /// passed on to mke2fs; the native writer always leaves unwritten space as holes.
    pub passthrough_extended: Vec<String>,
}

/// Why `-o hurd` cannot be written.
pub const HURD_CREATOR_REFUSED: &str =
    "only the Linux creator OS is written (ingot does not make the Hurd's ext2 layout)";

fn opt_err(option: &str, reason: impl Into<String>) -> ExtError {
    ExtError::Option {
        option: option.to_string(),
        reason: reason.into(),
    }
}

fn parse_num<T: std::str::FromStr>(option: &str, value: &str) -> Result<T, ExtError> {
    value
        .trim()
        .parse()
        .map_err(|_| opt_err(option, format!("'{value}' is not a valid number")))
}

fn parse_uuid(option: &str, value: &str) -> Result<Uuid, ExtError> {
    match value {
        "null" | "clear" => Ok(Uuid([0; 16])),
        "random" | "time" => Err(opt_err(
            option,
            format!("'{value}' would make the image irreproducible; give an explicit UUID"),
        )),
        _ => Uuid::parse(value).map_err(|e| opt_err(option, e.to_string())),
    }
}

impl Options {
    pub fn parse(kind: ExtKind, args: &[String]) -> Result<Options, ExtError> {
        let mut o = Options {
            kind,
            features: Features::defaults(kind),
            feature_edits: Vec::new(),
            label: None,
            uuid: None,
            hash_seed: None,
            block_size: None,
            inode_size: None,
            inode_count: None,
            inode_ratio: None,
            reserved_percent: None,
            journal_mib: None,
            blocks_per_group: None,
            flex_size: None,
            usage_types: None,
            errors: None,
            last_mounted: None,
            root_owner: None,
            stride: None,
            stripe_width: None,
            test_fs: false,
            creator_hurd: false,
            passthrough_extended: Vec::new(),
        };
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
                return Err(opt_err(
                    arg,
                    "expected an option starting with '-' (the device and size are ingot's)",
                ));
            };
            let letter = flags.chars().next().unwrap_or('-');
            let attached = &flags[letter.len_utf8()..];
            // Options without a value may be grouped (-qF).
            if "jqFv".contains(letter) {
                for c in flags.chars() {
                    match c {
                        'j' => o.features.compat |= COMPAT_HAS_JOURNAL,
                        'q' | 'F' | 'v' => {}
                        _ => {
                            return Err(opt_err(arg, format!("unknown or misplaced flag -{c}")));
                        }
                    }
                }
                continue;
            }
            let needs_value = "bOLUINimgGJTeMoEt".contains(letter);
            if !needs_value {
                return Err(opt_err(
                    arg,
                    match letter {
                        'c' | 'l' => "bad-block checks need a device; not supported for images",
                        'n' => "a dry run writes nothing; not supported inside an image build",
                        'S' => "writing only superblocks would leave the content out",
                        'C' => "bigalloc clusters are not supported",
                        'D' | 'K' | 'z' | 'V' | 'd' => {
                            "not applicable: ingot supplies the content and the target"
                        }
                        'r' => "only revision 1 file systems are made",
                        _ => "unknown mke2fs option",
                    },
                ));
            }
            let value = if !attached.is_empty() {
                attached.to_string()
            } else if i < args.len() {
                i += 1;
                args[i - 1].clone()
            } else {
                return Err(opt_err(arg, "missing value"));
            };
            let opt = format!("-{letter} {value}");
            match letter {
                'b' => {
                    let bs: u32 = parse_num(&opt, &value)?;
                    if !matches!(bs, 1024 | 2048 | 4096) {
                        return Err(opt_err(&opt, "block size must be 1024, 2048 or 4096"));
                    }
                    o.block_size = Some(bs);
                }
                'O' => {
                    o.features.edit(&value)?;
                    o.feature_edits.push(value);
                }
                'L' => o.label = Some(value),
                'U' => o.uuid = Some(parse_uuid(&opt, &value)?),
                'I' => {
                    let n: u32 = parse_num(&opt, &value)?;
                    if n < 128 || !n.is_power_of_two() || n > 4096 {
                        return Err(opt_err(&opt, "inode size must be a power of two from 128"));
                    }
                    o.inode_size = Some(n);
                }
                'N' => o.inode_count = Some(parse_num(&opt, &value)?),
                'i' => {
                    let n: u64 = parse_num(&opt, &value)?;
                    if !(1024..=64 * 1024 * 1024).contains(&n) {
                        return Err(opt_err(&opt, "bytes per inode must be 1024 to 67108864"));
                    }
                    o.inode_ratio = Some(n);
                }
                'm' => {
                    let p: f64 = parse_num(&opt, &value)?;
                    if !(0.0..=50.0).contains(&p) {
                        return Err(opt_err(&opt, "reserved percentage must be 0 to 50"));
                    }
                    o.reserved_percent = Some(p);
                }
                'g' => {
                    let n: u32 = parse_num(&opt, &value)?;
                    if n < 256 || !n.is_multiple_of(8) {
                        return Err(opt_err(
                            &opt,
                            "blocks per group must be a multiple of 8, at least 256",
                        ));
                    }
                    o.blocks_per_group = Some(n);
                }
                'G' => {
                    let n: u32 = parse_num(&opt, &value)?;
                    if !n.is_power_of_two() || n > 1 << 15 {
                        return Err(opt_err(&opt, "flex group size must be a power of two"));
                    }
                    o.flex_size = Some(n);
                }
                'J' => o.parse_journal(&opt, &value)?,
                'T' => {
                    for t in value.split(',') {
                        if usage_type(t).is_none() {
                            return Err(opt_err(&opt, format!("unknown usage type '{t}'")));
                        }
                    }
                    o.usage_types = Some(value);
                }
                'e' => {
                    o.errors = Some(match value.as_str() {
                        "continue" => 1,
                        "remount-ro" => 2,
                        "panic" => 3,
                        _ => return Err(opt_err(&opt, "expected continue, remount-ro or panic")),
                    })
                }
                'M' => {
                    if value.len() > 63 {
                        return Err(opt_err(
                            &opt,
                            "last-mounted directory is limited to 63 bytes",
                        ));
                    }
                    o.last_mounted = Some(value)
                }
                'o' => {
                    if value.eq_ignore_ascii_case("hurd") {
                        o.creator_hurd = true;
                    } else if !value.eq_ignore_ascii_case("linux") {
                        return Err(opt_err(&opt, "expected linux or hurd"));
                    }
                }
                't' => {
                    let matches = matches!(
                        (value.as_str(), kind),
                        ("ext2", ExtKind::Ext2) | ("ext3", ExtKind::Ext3) | ("ext4", ExtKind::Ext4)
                    );
                    if !matches {
                        return Err(opt_err(
                            &opt,
                            "the file system type comes from the partition's file-system field",
                        ));
                    }
                }
                'E' => {
                    for item in value.split(',').filter(|s| !s.is_empty()) {
                        o.parse_extended(item)?;
                    }
                }
                _ => return Err(opt_err(&opt, "unknown mke2fs option")),
            }
        }
        if let Some(label) = &o.label {
            check_label(label)?;
        }
        Ok(o)
    }

    fn parse_journal(&mut self, opt: &str, value: &str) -> Result<(), ExtError> {
        for item in value.split(',') {
            match item.split_once('=') {
                Some(("size", v)) => {
                    let mib: u64 = parse_num(opt, v)?;
                    if !(1..=10240).contains(&mib) {
                        return Err(opt_err(opt, "journal size must be 1 to 10240 MiB"));
                    }
                    self.journal_mib = Some(mib);
                    self.features.compat |= COMPAT_HAS_JOURNAL;
                }
                _ => {
                    return Err(opt_err(
                        opt,
                        format!("unsupported journal option '{item}' (only size=MiB)"),
                    ))
                }
            }
        }
        Ok(())
    }

    fn parse_extended(&mut self, item: &str) -> Result<(), ExtError> {
        let opt = format!("-E {item}");
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (item, None),
        };
        fn need<'a>(opt: &str, v: Option<&'a str>) -> Result<&'a str, ExtError> {
            v.ok_or_else(|| opt_err(opt, "missing value"))
        }
        match key {
            "hash_seed" => self.hash_seed = Some(parse_uuid(&opt, need(&opt, value)?)?),
            "root_owner" => {
                let owner = match value {
                    None => (0, 0),
                    Some(v) => {
                        let (u, g) = v
                            .split_once(':')
                            .ok_or_else(|| opt_err(&opt, "expected root_owner=UID:GID"))?;
                        (parse_num(&opt, u)?, parse_num(&opt, g)?)
                    }
                };
                self.root_owner = Some(owner);
            }
            "stride" => self.stride = Some(parse_num(&opt, need(&opt, value)?)?),
            "stripe_width" | "stripe-width" => {
                self.stripe_width = Some(parse_num(&opt, need(&opt, value)?)?)
            }
            "test_fs" => self.test_fs = true,
            "lazy_itable_init" | "lazy_journal_init" | "assume_storage_prezeroed" => {
                if let Some(v) = value {
                    let _: u32 = parse_num(&opt, v)?;
                }
                self.passthrough_extended.push(item.to_string());
            }
            "discard" | "nodiscard" => self.passthrough_extended.push(item.to_string()),
            "offset" => {
                return Err(opt_err(
                    &opt,
                    "the partition's offset is set by the image layout, not by an option",
                ))
            }
            "resize" => {
                return Err(opt_err(
                    &opt,
                    "resize reservations (resize_inode) are not supported; grow the image with resize2fs",
                ))
            }
            _ => {
                return Err(opt_err(
                    &opt,
                    format!("unknown or unsupported extended option '{key}'"),
                ))
            }
        }
        Ok(())
    }

    /// The usage type in force for a file system of `fs_bytes`: -T if given, else by size.
    pub fn usage(&self, fs_bytes: u64) -> UsageType {
        let mut out = UsageType::default();
        let names = match &self.usage_types {
            Some(t) => t.clone(),
            None => size_type(fs_bytes).to_string(),
        };
        for name in names.split(',') {
            if let Some(t) = usage_type(name) {
                out.block_size = t.block_size.or(out.block_size);
                out.inode_ratio = t.inode_ratio.or(out.inode_ratio);
                out.inode_size = t.inode_size.or(out.inode_size);
            }
        }
        out
    }
}

pub fn check_label(label: &str) -> Result<(), ExtError> {
    if label.len() > 16 {
        return Err(ExtError::Label(label.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(kind: ExtKind, args: &[&str]) -> Result<Options, ExtError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Options::parse(kind, &args)
    }

    #[test]
    fn guix_root_options() {
        let o = parse(ExtKind::Ext4, &["-O", "^metadata_csum,^64bit"]).unwrap();
        assert!(!o.features.has_ro_compat(RO_COMPAT_METADATA_CSUM));
        assert!(!o.features.has_incompat(INCOMPAT_64BIT));
        assert!(o.features.has_incompat(INCOMPAT_EXTENTS));
        assert_eq!(o.feature_edits, vec!["^metadata_csum,^64bit".to_string()]);
    }

    #[test]
    fn attached_values_and_extended() {
        let o = parse(
            ExtKind::Ext3,
            &[
                "-Lroot",
                "-U",
                "33333333-4444-4555-8666-777777777777",
                "-E",
                "hash_seed=33333333-4444-4555-8666-777777777777,root_owner=1:2,lazy_itable_init=1",
                "-m",
                "0.5",
                "-qF",
            ],
        )
        .unwrap();
        assert_eq!(o.label.as_deref(), Some("root"));
        assert_eq!(o.root_owner, Some((1, 2)));
        assert_eq!(o.reserved_percent, Some(0.5));
        assert!(o.uuid.is_some() && o.hash_seed.is_some());
    }

    #[test]
    fn refuses_unknown_and_irreproducible() {
        for bad in [
            &["-O", "frobnicate"][..],
            &["-X"],
            &["-E", "nosuch=1"],
            &["-U", "random"],
            &["-b", "3000"],
            &["-L", "a-label-that-is-too-long"],
            &["-I"],
            &["-o", "minix"],
            &["-t", "ext2"],
            &["/dev/sda"],
        ] {
            let err = parse(ExtKind::Ext4, bad).expect_err(&format!("{bad:?} accepted"));
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn reads_the_hurd_creator_os_for_a_dry_run() {
        assert!(parse(ExtKind::Ext2, &["-o", "hurd"]).unwrap().creator_hurd);
        assert!(!parse(ExtKind::Ext2, &["-o", "Linux"]).unwrap().creator_hurd);
    }

    #[test]
    fn usage_by_size() {
        let o = parse(ExtKind::Ext4, &[]).unwrap();
        assert_eq!(o.usage(2 << 20).block_size, Some(1024));
        assert_eq!(o.usage(100 << 20).inode_ratio, Some(4096));
        assert_eq!(o.usage(1 << 30).block_size, None);
        let o = parse(ExtKind::Ext4, &["-T", "largefile"]).unwrap();
        assert_eq!(o.usage(100 << 20).inode_ratio, Some(1 << 20));
    }
}
