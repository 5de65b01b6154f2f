//! Scheme record values -> `model` types. The prelude's field checks already ran; what is left
//! here is what only Rust can judge (ranges, host paths) and calling Scheme initializers.

use std::path::{Path, PathBuf};

use steel::SteelVal;

use super::error::{DslError, RecordError};
use super::value::{self as v, layout, render};
use crate::model::{
    Bootloader, BootloaderConfig, FileRef, FileSystemDevice, FileSystemEntry, FileSystemKind,
    Image, ImageFormat, Initializer, OperatingSystem, Partition, PartitionFlag, PartitionTableType,
    SizeSpec, SourceLoc, TreeOp, Uuid,
};

/// What conversion needs from the evaluator.
pub(crate) trait Host {
    /// The user-file location of a record value, if it was written in a user file.
    fn record_location(&self, record: &SteelVal) -> Option<SourceLoc>;
    /// Where the clause giving a record's field was written; the record's location when the
    /// field was defaulted.
    fn field_location(&self, record: &SteelVal, field: &str) -> Option<SourceLoc>;
    /// Directory that relative host paths are taken from.
    fn base_dir(&self) -> &Path;
    /// Reports something ingot changed in the definition to build it.
    fn warn(&mut self, message: String, location: Option<SourceLoc>);
    /// The value of `record`'s thunked field read by the Scheme `accessor`, or `None` when it
    /// is computed from values ingot does not know (a package's version). Other errors are the
    /// user's, as in Guix.
    fn read_thunked(
        &mut self,
        record: &SteelVal,
        accessor: &str,
    ) -> Result<Option<SteelVal>, DslError>;
    /// Calls a Scheme initializer procedure with a fresh root handle; returns its operations.
    fn run_initializer(
        &mut self,
        procedure: &SteelVal,
        location: Option<&SourceLoc>,
    ) -> Result<Vec<TreeOp>, DslError>;
}

pub(crate) struct Converter<'h> {
    host: &'h mut dyn Host,
}

/// A field value of a record, with the record's type name and location for messages.
struct Rec {
    value: SteelVal,
    ty: String,
    location: Option<SourceLoc>,
    /// Where each field given by a clause is: an error about a field's value is said there.
    fields: Vec<(String, Option<SourceLoc>)>,
}

impl Rec {
    fn get(&self, field: &str) -> SteelVal {
        v::record_get(&self.value, field).unwrap_or(SteelVal::Void)
    }

    /// The `(FIELD VALUE)` clause that gave `field`, else the record's form.
    fn field_location(&self, field: &str) -> Option<SourceLoc> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .and_then(|(_, at)| at.clone())
            .or_else(|| self.location.clone())
    }

    fn error(&self, field: &str, message: impl Into<String>) -> DslError {
        DslError::Record(Box::new(RecordError {
            location: self.field_location(field),
            record: self.ty.clone(),
            field: Some(field.to_string()),
            message: message.into(),
            value: Some(render(&self.get(field))),
            hint: None,
        }))
    }

    fn error_with_hint(&self, field: &str, message: &str, hint: &str) -> DslError {
        let mut error = self.error(field, message);
        if let DslError::Record(r) = &mut error {
            r.value = None;
            r.hint = Some(hint.to_string());
        }
        error
    }

    fn string(&self, field: &str) -> Result<String, DslError> {
        v::as_str(&self.get(field))
            .map(str::to_string)
            .ok_or_else(|| self.error(field, "expected a string"))
    }

    fn boolean(&self, field: &str) -> Result<bool, DslError> {
        v::as_bool(&self.get(field)).ok_or_else(|| self.error(field, "expected #t or #f"))
    }

    fn symbol(&self, field: &str) -> Result<String, DslError> {
        v::as_symbol(&self.get(field))
            .map(str::to_string)
            .ok_or_else(|| self.error(field, "expected a symbol"))
    }

    fn u64(&self, field: &str) -> Result<u64, DslError> {
        let n = v::as_integer(&self.get(field))
            .ok_or_else(|| self.error(field, "expected an exact integer"))?;
        u64::try_from(n).map_err(|_| self.error(field, "out of range (0 to 2^64-1)"))
    }

    fn size(&self, field: &str) -> Result<SizeSpec, DslError> {
        if v::as_symbol(&self.get(field)) == Some("guess") {
            Ok(SizeSpec::Guess)
        } else {
            Ok(SizeSpec::Bytes(self.u64(field)?))
        }
    }

    fn list(&self, field: &str) -> Result<Vec<SteelVal>, DslError> {
        v::list_items(&self.get(field)).ok_or_else(|| self.error(field, "expected a list"))
    }
}

impl<'h> Converter<'h> {
    pub(crate) fn new(host: &'h mut dyn Host) -> Self {
        Converter { host }
    }

    fn rec(&self, value: &SteelVal, expected: &str) -> Result<Rec, DslError> {
        match v::record_type(value) {
            Some(ty) if ty == expected => Ok(Rec {
                value: value.clone(),
                location: self.host.record_location(value),
                fields: v::record_given_fields(value)
                    .into_iter()
                    .map(|f| {
                        let at = self.host.field_location(value, &f);
                        (f, at)
                    })
                    .collect(),
                ty,
            }),
            _ => Err(DslError::value(
                None,
                format!("expected a {expected} record, got {}", render(value)),
            )),
        }
    }

    pub(crate) fn image(&mut self, value: &SteelVal) -> Result<Image, DslError> {
        let r = self.rec(value, "image")?;
        let format_name = r.symbol("format")?;
        let format = ImageFormat::parse(&format_name)
            .ok_or_else(|| r.error("format", "unknown image format"))?;
        let mut image = Image::new(format);
        image.location = r.location.clone();
        image.name = match r.get("name") {
            SteelVal::BoolV(false) => None,
            n => Some(
                v::as_symbol(&n)
                    .ok_or_else(|| r.error("name", "expected a symbol"))?
                    .to_string(),
            ),
        };
        image.platform = match r.get("platform") {
            SteelVal::BoolV(false) => None,
            p if v::is_struct(&p, layout::PLATFORM) => {
                v::struct_field(&p, 0).and_then(|s| v::as_str(&s).map(str::to_string))
            }
            p => Some(
                v::as_str(&p)
                    .ok_or_else(|| r.error("platform", "expected a platform"))?
                    .to_string(),
            ),
        };
        if image.platform.is_none() {
            image.platform = v::as_str(&r.get("target")).map(triplet_system);
        }
        image.size = r.size("size")?;
        image.max_layers = match r.get("max-layers") {
            SteelVal::BoolV(false) => None,
            _ => Some(
                u32::try_from(r.u64("max-layers")?)
                    .map_err(|_| r.error("max-layers", "too large"))?,
            ),
        };
        image.partition_table_type = match r.symbol("partition-table-type")?.as_str() {
            "mbr" => PartitionTableType::Mbr,
            "gpt" => PartitionTableType::Gpt,
            _ => return Err(r.error("partition-table-type", "expected 'mbr or 'gpt")),
        };
        image.compression = r.boolean("compression?")?;
        image.volatile_root = r.boolean("volatile-root?")?;
        image.shared_store = r.boolean("shared-store?")?;
        image.shared_network = r.boolean("shared-network?")?;
        image.substitutable = r.boolean("substitutable?")?;
        image.operating_system = match r.get("operating-system") {
            SteelVal::BoolV(false) => None,
            os if v::is_struct(&os, layout::NO_OS_CLAUSE) => {
                return Err(r.error_with_hint(
                    "operating-system",
                    "missing mandatory field",
                    "give (operating-system OS), or write (image-without-os …) for an image \
                     with no system; Guix before 1.4 defaulted the field to #f, which ingot \
                     accepts only in an image that is inherited from",
                ));
            }
            os => Some(self.operating_system(&os)?),
        };
        for p in r.list("partitions")? {
            let partition = self.partition(&p)?;
            image.partitions.push(partition);
        }
        if let Some(os) = &image.operating_system {
            self.warn_without_root(&image, os, &r.get("operating-system"));
        }
        Ok(image)
    }

    pub(crate) fn partition(&mut self, value: &SteelVal) -> Result<Partition, DslError> {
        let r = self.rec(value, "partition")?;
        let fs_name = r.string("file-system")?;
        let file_system = FileSystemKind::parse(&fs_name)
            .ok_or_else(|| r.error("file-system", "not a file system ingot builds"))?;
        let file_system_options = r
            .list("file-system-options")?
            .iter()
            .map(|o| v::as_str(o).map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| r.error("file-system-options", "expected a list of strings"))?;
        let uuid = match r.get("uuid") {
            SteelVal::BoolV(false) => None,
            u => Some(uuid_of(&u).ok_or_else(|| {
                r.error(
                    "uuid",
                    "ingot takes partition uuids as 128-bit (DCE) UUIDs: write (uuid \"8-4-4-4-12 hex\")",
                )
            })?),
        };
        let flags = r
            .list("flags")?
            .iter()
            .map(|f| match v::as_symbol(f) {
                Some("boot") => Some(PartitionFlag::Boot),
                Some("esp") => Some(PartitionFlag::Esp),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| r.error("flags", "expected a list of 'boot and 'esp"))?;
        let initializer = self.initializer(&r)?;
        Ok(Partition {
            size: r.size("size")?,
            offset: r.u64("offset")?,
            file_system,
            file_system_options,
            label: r.string("label")?,
            uuid,
            fat_serial: None,
            flags,
            initializer,
            location: r.location.clone(),
            label_location: None,
        })
    }

    fn initializer(&mut self, r: &Rec) -> Result<Option<Initializer>, DslError> {
        let value = r.get("initializer");
        let by_name = |name: &str| match name {
            "initialize-root-partition" => Initializer::Root,
            "initialize-efi-partition" => Initializer::Efi,
            "initialize-efi32-partition" => Initializer::Efi32,
            other => Initializer::Unknown(other.to_string()),
        };
        Ok(match &value {
            SteelVal::BoolV(false) => None,
            SteelVal::SymbolV(name) => Some(by_name(name.as_str())),
            g if v::is_struct(g, layout::GEXP) => {
                let datum = v::struct_field(g, 0).unwrap_or(SteelVal::Void);
                Some(match v::as_symbol(&datum) {
                    Some(name) => by_name(name),
                    // A gexp with Guile build-side code: ingot cannot run it.
                    None => Initializer::Unknown(render(&datum)),
                })
            }
            p if is_procedure(p) => {
                let ops = self.host.run_initializer(p, r.location.as_ref())?;
                Some(Initializer::Custom(ops))
            }
            // `#~(lambda* … (apply initialize-root-partition …))`, read as quoted code: the
            // root initializer with build-side extras (as Guix's Hurd image has it) is ingot's
            // root initializer; other code is one ingot cannot run.
            code if v::list_items(code).is_some() => {
                Some(if mentions(code, "initialize-root-partition") {
                    Initializer::Root
                } else {
                    Initializer::Unknown(render(code))
                })
            }
            _ => {
                return Err(r.error(
                    "initializer",
                    "expected (gexp initialize-root-partition), #f, or a procedure",
                ))
            }
        })
    }

    pub(crate) fn operating_system(
        &mut self,
        value: &SteelVal,
    ) -> Result<OperatingSystem, DslError> {
        let r = self.rec(value, "operating-system")?;
        let given = v::record_given(value);
        let mut os = OperatingSystem {
            host_name: Some(r.string("host-name")?),
            location: r.location.clone(),
            ..OperatingSystem::default()
        };
        let mut ignored = Vec::new();

        os.label = self.label(&r, &given, &mut ignored)?;
        os.kernel = self.file_ref(&r, "kernel", &given, &mut ignored)?;
        let kernel = r.get("kernel");
        if os.kernel.is_none() && !matches!(kernel, SteelVal::BoolV(false)) {
            os.kernel_package = Some(describe(&kernel));
        }
        os.initrd = self.file_ref(&r, "initrd", &given, &mut ignored)?;
        os.kernel_arguments = r
            .list("kernel-arguments")?
            .iter()
            .map(|a| v::as_str(a).map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                r.error(
                    "kernel-arguments",
                    "expected a list of strings (ingot does not evaluate gexps)",
                )
            })?;
        os.bootloader = Some(self.bootloader(&r.get("bootloader"))?);
        let mapped = mapped_device_targets(&r.get("mapped-devices"));
        let mut fs_values = Vec::new();
        for fs in r.list("file-systems")? {
            let entry = self.file_system(&fs)?;
            self.warn_about_device(&fs, &entry, &mapped);
            self.warn_second_root(&os, &entry);
            os.file_systems.push(entry);
            fs_values.push(fs);
        }
        self.check_efi_targets(&r, &os, &fs_values)?;
        os.root_tree = self.host_dir(&r, "root-tree")?;
        os.firmware_directory = self.host_dir(&r, "firmware-directory")?;

        for field in &given {
            let counted = |what: &str, plural: &str| -> Option<String> {
                let n = v::list_items(&r.get(field)).map(|l| l.len())?;
                match n {
                    0 => None,
                    1 => Some(format!("1 {what}")),
                    n => Some(format!("{n} {plural}")),
                }
            };
            let phrase = match field.as_str() {
                "host-name" | "label" | "kernel" | "initrd" | "kernel-arguments" | "bootloader"
                | "file-systems" | "root-tree" | "firmware-directory" => continue,
                "packages" => counted("package", "packages"),
                "services" => counted("service", "services"),
                "essential-services" => counted("essential service", "essential services"),
                "users" => counted("user", "users"),
                "groups" => counted("group", "groups"),
                "mapped-devices" => counted("mapped device", "mapped devices"),
                "swap-devices" => counted("swap device", "swap devices"),
                "firmware" => counted("firmware package", "firmware packages"),
                "initrd-modules" => counted("initrd module", "initrd modules"),
                "setuid-programs" => counted("setuid program", "setuid programs"),
                "privileged-programs" => counted("privileged program", "privileged programs"),
                "pam-services" => counted("PAM service", "PAM services"),
                _ => None,
            };
            ignored.push(phrase.unwrap_or_else(|| field.clone()));
        }
        os.ignored = ignored;
        Ok(os)
    }

    /// An EFI bootloader's target is the ESP's mount point: a vfat file system mounted a typo
    /// away from it, `/boot/ef` for `/boot/efi`, is one Guix's grub-install fails on (the
    /// target is no vfat mount point), and ingot would not make it the image's ESP (only
    /// `/boot/efi` is), so it would not mount at boot. A target no file system mounts, with
    /// none close, is left alone: `guix system image` does not read it.
    fn check_efi_targets(
        &self,
        r: &Rec,
        os: &OperatingSystem,
        fs_values: &[SteelVal],
    ) -> Result<(), DslError> {
        let Some(bl) = os.bootloader.as_ref().filter(|b| b.bootloader.is_efi()) else {
            return Ok(());
        };
        let fat = |t: &str| matches!(t, "vfat" | "fat" | "fat16" | "fat32" | "msdos");
        for target in &bl.targets {
            let target = target.trim_end_matches('/');
            if target.is_empty() || os.file_systems.iter().any(|f| f.mount_point == target) {
                continue;
            }
            let close =
                os.file_systems.iter().zip(fs_values).find(|(f, _)| {
                    fat(&f.fs_type) && strsim::levenshtein(&f.mount_point, target) <= 2
                });
            let Some((fs, value)) = close else {
                continue;
            };
            let targets_at = self.host.field_location(&r.get("bootloader"), "targets");
            let at = short_location(targets_at.as_ref(), fs.location.as_ref())
                .map(|l| format!(" (at {l})"))
                .unwrap_or_default();
            return Err(DslError::Record(Box::new(RecordError {
                location: self.host.field_location(value, "mount-point"),
                record: "file-system".into(),
                field: Some("mount-point".into()),
                message: format!(
                    "{} installs GRUB in {target:?}, its targets{at}, but no file system is \
                     mounted there: this {} file system on {:?} is not the ESP (Guix's \
                     grub-install fails on a target that is not a FAT mount point)",
                    bl.name, fs.fs_type, fs.mount_point
                ),
                value: None,
                hint: Some(format!(
                    "did you mean (mount-point {target:?})? (or make the targets the ESP's \
                     mount point)"
                )),
            })));
        }
        Ok(())
    }

    /// A file system on "/" after the OS's first: Guix's root is the first.
    fn warn_second_root(&mut self, os: &OperatingSystem, entry: &FileSystemEntry) {
        let first = os.root_file_system().filter(|_| entry.mount_point == "/");
        let Some(first) = first else {
            return;
        };
        let first_at = short_location(first.location.as_ref(), entry.location.as_ref())
            .map(|l| format!(" (at {l})"))
            .unwrap_or_default();
        self.host.warn(
            format!(
                "file-system: a second file system on \"/\": Guix takes the first one{first_at} \
                 as the root (operating-system-root-file-system finds the first) and ignores \
                 this one; remove one of them"
            ),
            entry.location.clone(),
        );
    }

    /// For an OS with no "/": the file systems that could be the root meant (on a disk or of a
    /// type unknown to Linux, as a container's "does-not-matter"; not the kernel's own such as
    /// /dev/pts), as a question; "" when none is.
    fn root_candidates(&self, os: &OperatingSystem) -> String {
        let on_disk = |f: &&FileSystemEntry| {
            matches!(
                f.device,
                FileSystemDevice::Label(_) | FileSystemDevice::Uuid(_)
            ) || BLOCK_FILE_SYSTEM_TYPES.contains(&f.fs_type.as_str())
                || !is_linux_file_system_type(&f.fs_type)
        };
        // The ESP and the places commonly given a file system of their own are not the root
        // meant: /home as the only other file system is what a config relying on the image's
        // root has.
        let usual = |f: &&FileSystemEntry| {
            let m = f.mount_point.as_str();
            matches!(f.fs_type.as_str(), "vfat" | "fat" | "fat16" | "fat32")
                || [
                    "/boot", "/efi", "/home", "/var", "/tmp", "/srv", "/opt", "/usr", "/gnu",
                ]
                .iter()
                .any(|p| m == *p || m.starts_with(&format!("{p}/")))
                || m.starts_with("/mnt/")
                || m.starts_with("/media/")
        };
        let named: Vec<String> = os
            .file_systems
            .iter()
            .filter(|f| on_disk(f) && !usual(f))
            .map(|f| {
                let at = short_location(f.location.as_ref(), os.location.as_ref())
                    .map(|l| format!(" (at {l})"))
                    .unwrap_or_default();
                format!("{:?}{at}", f.mount_point)
            })
            .collect();
        match named.as_slice() {
            [] => String::new(),
            [one] => format!("; is the file system on {one} meant to be \"/\"?"),
            more if more.len() <= 4 => format!(
                "; is one of the file systems on {} meant to be \"/\"?",
                more.join(", ")
            ),
            _ => String::new(),
        }
    }

    /// An operating system with no file system on "/", in an image with a root partition:
    /// `guix system image` replaces the root file system with its own, so the image is made,
    /// with the image's root partition as it is; Guix's `init` and `reconfigure` would fail.
    /// Warned at the OS's file-systems field, with a did-you-mean for a mount point that is "/"
    /// but for blanks or a slash.
    fn warn_without_root(&mut self, image: &Image, os: &OperatingSystem, os_value: &SteelVal) {
        if os.root_file_system().is_some() {
            return;
        }
        // An archive (docker, tarball, WSL) has no root to mount: its system runs in a
        // container or WSL, as Guix's own containerized systems have no root file system.
        let Some(root) = image.root_partition_index() else {
            return;
        };
        let root = format!(
            "the image's root partition keeps the image's label {:?} and gets a new uuid",
            image.partitions[root].label
        );
        // Guix's own Hurd systems have (file-systems '()): they are made for `guix system
        // image` (a hurd-raw image, a childhurd), which gives them the image's root.
        let hurd = os
            .kernel_package
            .as_deref()
            .is_some_and(crate::model::is_hurd_kernel)
            || v::record_get(os_value, "hurd")
                .is_some_and(|h| !matches!(h, SteelVal::BoolV(false)));
        let close = os.file_systems.iter().find(|f| {
            let m = f.mount_point.trim();
            m.is_empty() || m.chars().all(|c| c == '/')
        });
        let hint = match close {
            Some(f) => format!(
                "; did you mean (mount-point \"/\")? (a file system{} has {:?})",
                short_location(f.location.as_ref(), os.location.as_ref())
                    .map(|l| format!(" at {l}"))
                    .unwrap_or_default(),
                f.mount_point
            ),
            None => self.root_candidates(os),
        };
        let message = if hurd {
            format!(
                "operating-system: no file system is mounted on \"/\", as in Guix's own Hurd \
                 systems (%hurd-default-operating-system has (file-systems '())): {root}, as \
                 `guix system image` gives a Hurd image the image's root file system; only \
                 `guix system init` of this system would need one (Guix: \"missing root file \
                 system\"){hint}"
            )
        } else {
            format!(
                "operating-system: no file system is mounted on \"/\": {root}, as `guix system \
                 image` replaces the root file system with its own; `guix system init` and \
                 `reconfigure` would fail on this operating system{hint}"
            )
        };
        self.host
            .warn(message, self.host.field_location(os_value, "file-systems"));
    }

    /// The label, when written: Guix titles the boot menu entry with it, so it is evaluated as
    /// Guix does (its errors are the user's); one computed from a package ingot does not know
    /// (`(package-version guix)`) is ignored.
    fn label(
        &mut self,
        r: &Rec,
        given: &[String],
        ignored: &mut Vec<String>,
    ) -> Result<Option<String>, DslError> {
        if !given.iter().any(|g| g == "label") {
            return Ok(None);
        }
        // Not had when evaluating it reached a placeholder, or it is one, or a string display
        // or format made of one.
        let value = self
            .host
            .read_thunked(&r.value, "operating-system-label")?
            .filter(|value| match v::as_str(value) {
                Some(s) => !s.contains(layout::UNKNOWN_SHOWN),
                None => v::unknown_name(value).is_none(),
            });
        let Some(value) = value else {
            ignored.push("label (computed from names ingot does not know)".into());
            return Ok(None);
        };
        match v::as_str(&value) {
            Some(s) => Ok(Some(s.to_string())),
            None => Err(DslError::Record(Box::new(RecordError {
                location: self.host.field_location(&r.value, "label"),
                record: "operating-system".into(),
                field: Some("label".into()),
                message: "expected a string (the boot menu entry's title)".into(),
                value: Some(render(&value)),
                hint: None,
            }))),
        }
    }

    /// kernel / initrd: `(local-file …)` or a path; a Guix package or procedure is ignored.
    fn file_ref(
        &mut self,
        r: &Rec,
        field: &str,
        given: &[String],
        ignored: &mut Vec<String>,
    ) -> Result<Option<FileRef>, DslError> {
        let value = r.get(field);
        if let Some(path) = local_file_path(&value) {
            return Ok(Some(FileRef::Host(path)));
        }
        match &value {
            SteelVal::BoolV(false) => Ok(None),
            SteelVal::StringV(s) => {
                let p = Path::new(s.as_str());
                // An absolute path is the root tree's first; the build falls back to the
                // host only when the tree lacks it (build::boot_files).
                Ok(Some(if p.is_absolute() {
                    FileRef::InRoot(s.to_string())
                } else {
                    FileRef::Host(self.host.base_dir().join(p))
                }))
            }
            other => {
                if given.iter().any(|g| g == field) {
                    ignored.push(format!(
                        "{field} {} (ingot takes a file: (local-file \"…\") or a path)",
                        describe(other)
                    ));
                    // Guix stops on the unbound name, so the slip is said where it is written.
                    if let Some(c) = misspelt_package(field, other) {
                        let kind = if field == "initrd" {
                            "procedure"
                        } else {
                            "package"
                        };
                        self.host.warn(
                            format!(
                                "operating-system: field {field}: {} is not a Guix {field} \
                                 {kind}: did you mean {c}? Guix stops here (unbound \
                                 variable); ingot ignores the {kind}",
                                describe(other)
                            ),
                            self.host.field_location(&r.value, field),
                        );
                    }
                }
                Ok(None)
            }
        }
    }

    fn host_dir(&self, r: &Rec, field: &str) -> Result<Option<PathBuf>, DslError> {
        let value = r.get(field);
        if let Some(path) = local_file_path(&value) {
            return Ok(Some(path));
        }
        match &value {
            SteelVal::BoolV(false) => Ok(None),
            SteelVal::StringV(s) => Ok(Some(self.host.base_dir().join(s.as_str()))),
            _ => Err(r.error(
                field,
                "expected a path or (local-file \"…\" #:recursive? #t)",
            )),
        }
    }

    fn bootloader(&mut self, value: &SteelVal) -> Result<BootloaderConfig, DslError> {
        let r = self.rec(value, "bootloader-configuration")?;
        let b = self.rec(&r.get("bootloader"), "bootloader")?;
        let name = b.symbol("name")?;
        // The prelude's bootloaders carry ingot's marker in their code fields; a bootloader
        // none of whose code is inherited is one ingot cannot install, whatever its name. One
        // that replaces some is the bootloader it inherits, as in a Guix disk image.
        let markers: Vec<Option<String>> = BOOTLOADER_CODE_FIELDS
            .iter()
            .map(|f| {
                v::as_symbol(&b.get(f))
                    .filter(|m| m.starts_with("ingot:"))
                    .map(str::to_string)
            })
            .collect();
        let mut shown = name.clone();
        let kind = match markers.iter().flatten().next() {
            Some(marker) => {
                let known = &marker["ingot:".len()..];
                shown = known.to_string();
                let kind = bootloader_by_name(known).ok_or_else(|| {
                    r.error(
                        "bootloader",
                        format!(
                            "{known}: not a bootloader ingot knows (internal: the prelude \
                             defines only its table's)"
                        ),
                    )
                })?;
                let replaced: Vec<&str> = BOOTLOADER_CODE_FIELDS
                    .iter()
                    .zip(&markers)
                    .filter(|(_, m)| m.as_ref() != Some(marker))
                    .map(|(f, _)| *f)
                    .collect();
                if !replaced.is_empty() && !matches!(kind, Bootloader::Other(_)) {
                    let (fields, verb) = match replaced.as_slice() {
                        [one] => (one.to_string(), "is"),
                        [a, b] => (format!("{a} and {b}"), "are"),
                        more => (more.join(", "), "are"),
                    };
                    self.host.warn(
                        format!(
                            "bootloader {name}: its {fields} {verb} code ingot does not run; \
                             the image gets {known}'s layout (Guix runs a disk image's \
                             installer with no device)"
                        ),
                        b.location.clone().or(r.location.clone()),
                    );
                }
                kind
            }
            None => Bootloader::Other(name.clone()),
        };
        let mut targets = Vec::new();
        match r.get("targets") {
            SteelVal::BoolV(false) => {
                if let Some(t) = v::as_str(&r.get("target")) {
                    targets.push(t.to_string());
                }
            }
            t => {
                for item in v::list_items(&t).unwrap_or_default() {
                    targets.push(
                        v::as_str(&item)
                            .ok_or_else(|| r.error("targets", "expected a list of strings"))?
                            .to_string(),
                    );
                }
            }
        }
        let timeout = self.timeout(&r)?;
        if timeout < 0 && matches!(kind, Bootloader::UBoot { .. }) {
            return Err(r.error(
                "timeout",
                format!(
                    "{timeout} waits for a key in GRUB, but {name} reads extlinux.conf, where \
                     Guix then writes PROMPT 0 and U-Boot boots at once; give 0 or more seconds"
                ),
            ));
        }
        Ok(BootloaderConfig {
            bootloader: kind,
            name: shown,
            targets,
            timeout,
            location: r.location.clone(),
        })
    }

    /// Guix takes any number of seconds; GRUB's `set timeout=` takes whole seconds, so a
    /// fraction is rounded to the nearest, with a warning. A negative integer is GRUB's "wait
    /// for a key" (Guix has no check; `set timeout=-1`).
    fn timeout(&mut self, r: &Rec) -> Result<i32, DslError> {
        let value = r.get("timeout");
        if let Some(n) = v::as_integer(&value) {
            return i32::try_from(n).map_err(|_| r.error("timeout", "too large"));
        }
        let seconds = v::as_real(&value)
            .filter(|s| s.is_finite() && *s >= 0.0)
            .ok_or_else(|| {
                r.error(
                    "timeout",
                    "expected a number of seconds (or a negative integer: wait for a key)",
                )
            })?;
        let rounded = seconds.round();
        if rounded > f64::from(i32::MAX) {
            return Err(r.error("timeout", "too large"));
        }
        // In range and integral: the conversion is exact.
        let whole = rounded as i32;
        self.host.warn(
            format!(
                "bootloader-configuration: timeout {} rounded to {whole}: GRUB waits whole seconds",
                render(&value)
            ),
            r.location.clone(),
        );
        Ok(whole)
    }

    fn file_system(&mut self, value: &SteelVal) -> Result<FileSystemEntry, DslError> {
        let r = self.rec(value, "file-system")?;
        let d = r.get("device");
        let title = r.get("title");
        let title = v::as_symbol(&title);
        if let Some(t) = title {
            self.host.warn(
                format!(
                    "file-system: (title '{t}) is the form of Guix before 1.0; today's Guix has \
                     no title field and stops on it (extraneous field initializer): write \
                     (device (file-system-label \"…\")) or (device (uuid \"…\"))"
                ),
                r.location.clone(),
            );
        }
        let device = if let Some(s) = v::as_str(&d) {
            if title == Some("label") {
                FileSystemDevice::Label(s.to_string())
            } else if let Some(u) = Uuid::parse(s).ok().filter(|_| title == Some("uuid")) {
                FileSystemDevice::Uuid(u)
            } else if s.starts_with('/') {
                FileSystemDevice::Path(s.to_string())
            } else {
                FileSystemDevice::Other(s.to_string())
            }
        } else if v::is_struct(&d, layout::FS_LABEL) {
            let label = v::struct_field(&d, 0).unwrap_or(SteelVal::Void);
            FileSystemDevice::Label(v::as_str(&label).unwrap_or_default().to_string())
        } else if let Some(u) = uuid_of(&d) {
            FileSystemDevice::Uuid(u)
        } else if v::is_struct(&d, layout::UUID) {
            // FAT / ISO / NTFS ids are not 128-bit: keep their text.
            let s = v::struct_field(&d, 0).unwrap_or(SteelVal::Void);
            FileSystemDevice::Other(v::as_str(&s).unwrap_or_default().to_string())
        } else {
            return Err(r.error("device", "expected a device"));
        };
        let entry = FileSystemEntry {
            device,
            mount_point: without_trailing_slashes(r.string("mount-point")?),
            fs_type: r.string("type")?,
            location: r.location.clone(),
        };
        self.warn_about_mount(value, &entry);
        Ok(entry)
    }

    /// A device Guix looks for and does not find, so that the mount fails at boot: a string
    /// that is a UUID or a label (Guix takes a string as a device file name), a DCE uuid for
    /// a FAT file system (whose uuid is a 4-byte serial).
    fn warn_about_device(&mut self, value: &SteelVal, fs: &FileSystemEntry, mapped: &[String]) {
        let on_disk = BLOCK_FILE_SYSTEM_TYPES.contains(&fs.fs_type.as_str());
        let at = self.host.field_location(value, "device");
        let given = v::record_get(value, "device").unwrap_or(SteelVal::Void);
        let titled =
            v::as_symbol(&v::record_get(value, "title").unwrap_or(SteelVal::Void)).is_some();
        if let (Some(device), false, true) = (v::as_str(&given), titled, on_disk) {
            let fix = if device.starts_with('/')
                || device == "none"
                || device.contains(':')
                || mapped.iter().any(|m| m == device)
            {
                None
            } else if Uuid::parse(device).is_ok() {
                Some(format!("(uuid {device:?})"))
            } else if crate::model::parse_fat_serial(device).is_some() {
                Some(format!("(uuid {device:?} 'fat)"))
            } else if device.starts_with("dev/") {
                Some(format!("\"/{device}\""))
            } else {
                Some(format!("(file-system-label {device:?})"))
            };
            if let Some(fix) = fix {
                self.host.warn(
                    format!(
                        "file-system: device {device:?} is a device file name to Guix (it takes \
                         a string as one), and no device file has that name, so mounting {:?} \
                         fails at boot; did you mean {fix}?",
                        fs.mount_point
                    ),
                    at,
                );
                return;
            }
        }
        let fat = matches!(fs.fs_type.as_str(), "vfat" | "fat" | "msdos" | "exfat");
        if let (FileSystemDevice::Uuid(u), true) = (&fs.device, fat) {
            self.host.warn(
                format!(
                    "file-system: a {} file system's uuid is its 4-byte volume serial \
                     (XXXX-XXXX), which the 128-bit uuid {:?} cannot be: Guix finds no such \
                     device, so mounting {:?} fails at boot (and the partition gets a serial of \
                     ingot's); write (uuid \"XXXX-XXXX\" 'fat) with the file system's serial",
                    fs.fs_type,
                    u.to_string(),
                    fs.mount_point
                ),
                at,
            );
        }
    }

    /// What Guix accepts and the mount at boot then gets wrong: a type that is no Linux file
    /// system type, a relative mount point.
    fn warn_about_mount(&mut self, value: &SteelVal, fs: &FileSystemEntry) {
        let ty = fs.fs_type.as_str();
        // A device named as its type is a pseudo file system ("proc" of type "proc"), or a
        // placeholder (Guix's docker example: "does-not-matter" of type "does-not-matter").
        let pseudo = matches!(&fs.device, FileSystemDevice::Other(d) if d == ty);
        if !is_linux_file_system_type(ty) && !pseudo {
            let close = super::diagnose::closest(ty, LINUX_FILE_SYSTEM_TYPES.iter().copied())
                .map(|c| format!("; did you mean {c:?}?"))
                .unwrap_or_default();
            self.host.warn(
                format!(
                    "file-system: type {ty:?} is not a Linux file system type: Guix accepts it, \
                     and mounting {:?} fails at boot{close}",
                    fs.mount_point
                ),
                self.host.field_location(value, "type"),
            );
        }
        let mount_point = fs.mount_point.as_str();
        if !mount_point.is_empty() && !mount_point.starts_with('/') {
            self.host.warn(
                format!(
                    "file-system: mount point {mount_point:?} is relative: Guix's mount puts \"/\" \
                     before it (/{mount_point}), but Guix and ingot compare mount points as \
                     written (to ingot it is not \"/{mount_point}\"); write \"/{mount_point}\""
                ),
                self.host.field_location(value, "mount-point"),
            );
        }
    }
}

/// `loc` as a message beside `beside` writes it: LINE:COLUMN, with the file only when it is
/// another one.
fn short_location(loc: Option<&SourceLoc>, beside: Option<&SourceLoc>) -> Option<String> {
    let loc = loc?;
    Some(match beside {
        Some(b) if b.file == loc.file => format!("{}:{}", loc.line, loc.column),
        _ => loc.to_string(),
    })
}

/// File system types Linux mounts, generously (`fuse.NAME` too): another type is one Guix
/// accepts and the mount fails on. The common ones first, for the did-you-mean.
const LINUX_FILE_SYSTEM_TYPES: &[&str] = &[
    "ext4",
    "ext3",
    "ext2",
    "btrfs",
    "xfs",
    "f2fs",
    "vfat",
    "fat",
    "msdos",
    "exfat",
    "ntfs",
    "ntfs3",
    "iso9660",
    "udf",
    "tmpfs",
    "ramfs",
    "proc",
    "sysfs",
    "devtmpfs",
    "devpts",
    "cgroup",
    "cgroup2",
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "9p",
    "virtiofs",
    "overlay",
    "fuse",
    "fuseblk",
    "fusectl",
    "squashfs",
    "erofs",
    "zfs",
    "bcachefs",
    "jfs",
    "reiserfs",
    "nilfs2",
    "hfs",
    "hfsplus",
    "swap",
    "none",
    "binfmt_misc",
    "securityfs",
    "efivarfs",
    "debugfs",
    "tracefs",
    "hugetlbfs",
    "mqueue",
    "pstore",
    "bpf",
    "configfs",
    "autofs",
    "selinuxfs",
    "rpc_pipefs",
    "nfsd",
    "xenfs",
    "cramfs",
    "romfs",
    "ceph",
    "glusterfs",
    "ocfs2",
    "gfs2",
    "minix",
    "ufs",
    "ecryptfs",
    "aufs",
    "shiftfs",
    "vboxsf",
    "rootfs",
    "ntfs-3g",
    "smbfs",
    "lustre",
];

/// The types whose device is a disk partition: found by a device file, a label or a uuid.
const BLOCK_FILE_SYSTEM_TYPES: &[&str] = &[
    "ext2", "ext3", "ext4", "btrfs", "xfs", "f2fs", "jfs", "reiserfs", "bcachefs", "nilfs2",
    "vfat", "fat", "msdos", "exfat", "ntfs", "ntfs3", "hfs", "hfsplus", "udf",
];

/// The names of the operating system's mapped devices (`target` and `targets`).
fn mapped_device_targets(devices: &SteelVal) -> Vec<String> {
    let mut names = Vec::new();
    for d in v::list_items(devices).unwrap_or_default() {
        for field in ["target", "targets"] {
            let value = v::record_get(&d, field).unwrap_or(SteelVal::Void);
            let items = v::list_items(&value).unwrap_or_else(|| vec![value]);
            names.extend(
                items
                    .iter()
                    .filter_map(|t| v::as_str(t).map(str::to_string)),
            );
        }
    }
    names
}

/// A mount point as the kernel takes it: `/boot/efi/` is the directory `/boot/efi`, as Guix's
/// mount and grub-install find it (`/` stays itself).
fn without_trailing_slashes(mount_point: String) -> String {
    match mount_point.trim_end_matches('/') {
        "" if mount_point.is_empty() => mount_point,
        "" => "/".to_string(),
        trimmed => trimmed.to_string(),
    }
}

fn is_linux_file_system_type(ty: &str) -> bool {
    LINUX_FILE_SYSTEM_TYPES.contains(&ty)
        || ty
            .strip_prefix("fuse.")
            .is_some_and(|name| !name.is_empty())
}

/// The Guix system name of a GNU triplet (Guix's `gnu-triplet->nix-system`): "i586-pc-gnu" is
/// i586-gnu, "arm-linux-gnueabihf" armhf-linux, "aarch64-linux-gnu" aarch64-linux.
fn triplet_system(triplet: &str) -> String {
    let cpu = triplet.split('-').next().unwrap_or(triplet);
    if !triplet.contains("-linux") && triplet.ends_with("-gnu") {
        format!("{cpu}-gnu")
    } else if triplet.ends_with("gnueabihf") && cpu.starts_with("arm") {
        "armhf-linux".into()
    } else {
        format!("{cpu}-linux")
    }
}

fn is_procedure(v: &SteelVal) -> bool {
    matches!(
        v,
        SteelVal::Closure(_)
            | SteelVal::FuncV(_)
            | SteelVal::BoxedFunction(_)
            | SteelVal::MutFunc(_)
            | SteelVal::BuiltIn(_)
    )
}

fn local_file_path(value: &SteelVal) -> Option<PathBuf> {
    if !v::is_struct(value, layout::LOCAL_FILE) {
        return None;
    }
    v::struct_field(value, 0).and_then(|p| v::as_str(&p).map(PathBuf::from))
}

/// A DCE uuid value as a model Uuid (other uuid types are not 128-bit).
fn uuid_of(value: &SteelVal) -> Option<Uuid> {
    if !v::is_struct(value, layout::UUID) {
        return None;
    }
    let ty = v::struct_field(value, 1)?;
    if v::as_symbol(&ty) != Some("dce") {
        return None;
    }
    let s = v::struct_field(value, 0)?;
    Uuid::parse(v::as_str(&s)?).ok()
}

/// A few words for a value ingot ignores: "linux-libre", "(a procedure)".
fn describe(value: &SteelVal) -> String {
    if let Some(name) = v::unknown_name(value) {
        return name;
    }
    // (gnu platforms hurd) of Guix 1.3 and (gnu packages hurd) both export `hurd`; the
    // prelude's is the platform, which as a kernel is the Hurd package.
    if v::is_struct(value, layout::PLATFORM)
        && v::struct_field(value, 0).as_ref().and_then(v::as_str) == Some("i586-gnu")
    {
        return "hurd".into();
    }
    if is_procedure(value) {
        return "(a procedure)".into();
    }
    render(value)
}

/// Whether the quoted code `datum` contains the symbol `name`.
fn mentions(datum: &SteelVal, name: &str) -> bool {
    match v::list_items(datum) {
        Some(items) => items.iter().any(|i| mentions(i, name)),
        None => v::as_symbol(datum) == Some(name),
    }
}

/// Guix's bootloader variables -> what ingot installs. Board U-Boots are named by board.
/// What the prelude's bootloader `name` is (its table: `boot::bootloaders`).
/// The fields of Guix's `<bootloader>` that hold code: the prelude's bootloaders carry
/// ingot's marker there.
pub(crate) const BOOTLOADER_CODE_FIELDS: &[&str] = &[
    "installer",
    "disk-image-installer",
    "configuration-file-generator",
];

pub(crate) fn bootloader_by_name(name: &str) -> Option<Bootloader> {
    crate::boot::bootloaders::by_name(name)
}

/// Guix's (and the nonguix channel's) kernel and initrd packages, for a did-you-mean: ingot
/// ignores the package, but Guix stops on a misspelt one ("Unbound variable").
const KERNEL_PACKAGES: &[&str] = &[
    "linux-libre",
    "linux-libre-lts",
    "linux-libre-arm64-generic",
    "linux-libre-arm-generic",
    "linux-libre-riscv64-generic",
    "linux-libre-arm64-honeycomb",
    "linux-libre-arm64-mnt-reform",
    "linux-libre-arm-omap2plus",
    "linux-libre-mips64el-fuloong2e",
    "linux-libre-pinebook-pro",
    "linux-libre-with-bpf",
    "linux",
    "linux-lts",
    "linux-arm64-generic",
    "linux-xanmod",
    "linux-xanmod-lts",
    "hurd",
];
const INITRD_PROCEDURES: &[&str] = &["base-initrd", "raw-initrd", "microcode-initrd"];

/// For an unknown name given as the kernel or initrd: the Guix package it misspells. A
/// versioned name (linux-libre-6.6) is not a misspelling, nor is a linux-libre-… variant far
/// from every listed one (a channel's linux-libre-my-board).
fn misspelt_package(field: &str, value: &SteelVal) -> Option<&'static str> {
    misspelt_package_name(field, &v::unknown_name(value)?)
}

fn misspelt_package_name(field: &str, name: &str) -> Option<&'static str> {
    let known = match field {
        "kernel" => KERNEL_PACKAGES,
        "initrd" => INITRD_PROCEDURES,
        _ => return None,
    };
    let variant = |k: &&str| {
        name.strip_prefix(*k)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    if known.contains(&name) || known.iter().any(variant) {
        return None;
    }
    super::diagnose::closest(name, known.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_points_lose_trailing_slashes_but_the_root_stays() {
        let m = |s: &str| without_trailing_slashes(s.to_string());
        assert_eq!(m("/boot/efi/"), "/boot/efi");
        assert_eq!(m("/boot/efi//"), "/boot/efi");
        assert_eq!(m("/"), "/");
        assert_eq!(m("//"), "/");
        assert_eq!(m(""), "");
        assert_eq!(m("/home"), "/home");
    }

    #[test]
    fn misspelt_kernel_packages_and_variants() {
        let k = |n| misspelt_package_name("kernel", n);
        assert_eq!(k("linux-libr"), Some("linux-libre"));
        assert_eq!(
            k("linux-libre-arm64-generc"),
            Some("linux-libre-arm64-generic")
        );
        assert_eq!(k("linux-xanmood"), Some("linux-xanmod"));
        // Versions, Guix's own names and a channel's far-off variant are no misspellings.
        for name in [
            "linux-libre-6.6",
            "linux-6.12",
            "linux-libre",
            "linux-libre-my-odd-board",
        ] {
            assert_eq!(k(name), None, "{name}");
        }
        assert_eq!(
            misspelt_package_name("initrd", "microcode-inird"),
            Some("microcode-initrd")
        );
        assert_eq!(misspelt_package_name("label", "linux-libr"), None);
    }

    #[test]
    fn board_bootloaders_map_to_board_names() {
        assert_eq!(
            bootloader_by_name("u-boot-pine64-lts-bootloader"),
            Some(Bootloader::UBoot {
                board: "pine64".into()
            })
        );
        assert_eq!(
            bootloader_by_name("u-boot-starfive-visionfive2-bootloader").map(|b| b.name()),
            Some("u-boot-visionfive2-bootloader".into())
        );
        assert_eq!(
            bootloader_by_name("grub-efi32-bootloader"),
            Some(Bootloader::GrubEfi32)
        );
        assert_eq!(
            bootloader_by_name("extlinux-bootloader"),
            Some(Bootloader::Other("extlinux-bootloader".into()))
        );
    }
}
