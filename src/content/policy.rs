//! Owner and time policy for loading a tree: `--owners` and SOURCE_DATE_EPOCH's clamp.

/// Whose owners the image's files get (`--owners`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Owners {
    /// A tar archive's owners are kept; so are a directory's when ingot runs as root; a
    /// directory read by an ordinary user gets [`Owners::MapSelf`].
    #[default]
    Auto,
    /// Every owner as the input says.
    Keep,
    /// Every file root:root.
    Root,
    /// The running user's uid and gid become 0; every other owner is kept (an ordinary user
    /// cannot have made files owned by anyone else, so those are meant).
    MapSelf,
}

/// The owner rule a load applies, with `Auto` resolved for the kind of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerRule {
    Keep,
    Root,
    Map { uid: u32, gid: u32 },
}

impl OwnerRule {
    pub fn apply(self, uid: u32, gid: u32) -> (u32, u32) {
        match self {
            OwnerRule::Keep => (uid, gid),
            OwnerRule::Root => (0, 0),
            OwnerRule::Map { uid: u, gid: g } => (
                if uid == u { 0 } else { uid },
                if gid == g { 0 } else { gid },
            ),
        }
    }
}

impl Owners {
    pub fn as_str(self) -> &'static str {
        match self {
            Owners::Auto => "auto",
            Owners::Keep => "keep",
            Owners::Root => "root",
            Owners::MapSelf => "map-self",
        }
    }

    /// The rule for a directory (`is_dir`) or an archive, read by the current process.
    pub fn rule(self, is_dir: bool) -> OwnerRule {
        // SAFETY: geteuid/getegid cannot fail and touch no memory.
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        match self {
            Owners::Keep => OwnerRule::Keep,
            Owners::Root => OwnerRule::Root,
            Owners::MapSelf => OwnerRule::Map { uid, gid },
            Owners::Auto if !is_dir || uid == 0 => OwnerRule::Keep,
            Owners::Auto => OwnerRule::Map { uid, gid },
        }
    }

    /// One line for `show` and the build: which rule applies to this input and why.
    pub fn describe(self, is_dir: bool) -> String {
        let why = match (self, is_dir) {
            (Owners::Auto, false) => " (auto: a tar archive's owners are data)",
            (Owners::Auto, true) => " (auto: a directory read by this user)",
            _ => "",
        };
        match self.rule(is_dir) {
            OwnerRule::Keep => format!("keep{why}"),
            OwnerRule::Root => "root: every file root:root".into(),
            OwnerRule::Map { uid, gid } => format!(
                "map-self{why}: uid {uid} and gid {gid} become 0, every other owner is kept"
            ),
        }
    }
}

/// How owners and times are set when a tree is loaded from the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadPolicy {
    pub owners: Owners,
    /// Clamp every mtime to at most this (SOURCE_DATE_EPOCH).
    pub clamp_mtime: Option<i64>,
}

/// What a load did to owners, for the build's one message about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadReport {
    /// Nodes whose uid or gid the owner rule changed.
    pub owners_rewritten: usize,
}
