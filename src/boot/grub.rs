//! GRUB images built with the real GRUB tools (`grub-mkimage` from grub-common, module
//! directories from grub-pc-bin / grub-efi-*-bin), installed without `grub-install` (which
//! needs a block device):
//! - BIOS: `boot.img` in the MBR and `core.img` in the gap before the first partition, patched
//!   the way `grub-bios-setup` does for an MBR-gap embedding (GRUB 2.06,
//!   include/grub/i386/pc/boot.h and util/setup.c).
//! - UEFI: one standalone binary with every module and the config embedded.
//!
//! `grub-mkimage` output depends only on its inputs (no dates, no random ids): images are
//! reproducible, which a test checks.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use super::{grub_cache, BootError};
use crate::disk::{Target, SECTOR};

/// Modules embedded in the BIOS core image: disks, tables, file systems, and everything a
/// generated grub.cfg uses, so the root file system needs no /boot/grub/i386-pc.
pub const BIOS_MODULES: &[&str] = &[
    "biosdisk",
    "part_msdos",
    "part_gpt",
    "fat",
    "ext2",
    "normal",
    "boot",
    "linux",
    "search",
    "search_label",
    "search_fs_uuid",
    "configfile",
    "echo",
    "serial",
    "terminal",
    "test",
    "gzio",
];

/// Modules embedded in the El Torito core of a bootable ISO (BIOS CD boot).
pub const ISO_BIOS_MODULES: &[&str] = &[
    "biosdisk",
    "iso9660",
    "part_msdos",
    "part_gpt",
    "normal",
    "boot",
    "linux",
    "search",
    "search_label",
    "search_fs_uuid",
    "configfile",
    "echo",
    "serial",
    "terminal",
    "test",
    "gzio",
];

/// Modules embedded in EFI binaries (iso9660 too: the same binary boots an ISO's ESP).
pub const EFI_MODULES: &[&str] = &[
    "iso9660",
    "part_gpt",
    "part_msdos",
    "fat",
    "ext2",
    "normal",
    "boot",
    "linux",
    "search",
    "search_label",
    "search_fs_uuid",
    "configfile",
    "echo",
    "serial",
    "terminal",
    "test",
    "gzio",
];

/// UEFI architectures GRUB builds for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EfiArch {
    X86_64,
    Ia32,
    Aa64,
    Riscv64,
}

impl EfiArch {
    /// Where firmware looks for a boot loader on removable media (UEFI spec 3.5.1.1).
    pub fn removable_path(self) -> &'static str {
        match self {
            EfiArch::X86_64 => "EFI/BOOT/BOOTX64.EFI",
            EfiArch::Ia32 => "EFI/BOOT/BOOTIA32.EFI",
            EfiArch::Aa64 => "EFI/BOOT/BOOTAA64.EFI",
            EfiArch::Riscv64 => "EFI/BOOT/BOOTRISCV64.EFI",
        }
    }

    fn platform(self) -> Platform {
        match self {
            EfiArch::X86_64 => Platform {
                target: "x86_64-efi",
                package: "grub-efi-amd64-bin",
            },
            EfiArch::Ia32 => Platform {
                target: "i386-efi",
                package: "grub-efi-ia32-bin",
            },
            EfiArch::Aa64 => Platform {
                target: "arm64-efi",
                package: "grub-efi-arm64-bin",
            },
            EfiArch::Riscv64 => Platform {
                target: "riscv64-efi",
                package: "grub-efi-riscv64-bin",
            },
        }
    }
}

/// A GRUB target name (`grub-mkimage -O`) and the Debian package holding its modules.
#[derive(Debug, Clone, Copy)]
struct Platform {
    target: &'static str,
    package: &'static str,
}

const I386_PC: Platform = Platform {
    target: "i386-pc",
    package: "grub-pc-bin",
};

/// How GRUB finds the root file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootSearch {
    Label(String),
    FsUuid(String),
}

impl RootSearch {
    /// `search --no-floppy --set=root --label X` (or `--fs-uuid X`).
    fn command(&self) -> String {
        let (flag, value) = match self {
            RootSearch::Label(l) => ("--label", l),
            RootSearch::FsUuid(u) => ("--fs-uuid", u),
        };
        format!("search --no-floppy --set=root {flag} {}", quote(value))
    }
}

/// One boot entry of a generated grub.cfg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub title: String,
    /// Path of the kernel on the root file system, e.g. "/boot/vmlinuz".
    pub kernel_path: String,
    pub initrd_path: Option<String>,
    /// What follows `root=` on the kernel command line: "LABEL=Guix_image", "UUID=…", "/dev/vda2".
    pub root_arg: String,
    pub kernel_arguments: Vec<String>,
    /// Seconds the menu waits; negative: until a key is pressed (GRUB's `timeout=-1`).
    pub timeout: i32,
    pub search: RootSearch,
}

/// GRUB's embedded config in Guix's EFI binaries (initialize-efi-partition), byte for byte.
pub fn guix_efi_config(root_label: &str) -> String {
    format!(
        "insmod part_msdos\ninsmod part_gpt\nsearch --set=root --label {root_label}\nconfigfile /boot/grub/grub.cfg\n"
    )
}

/// The early config of a BIOS core image: find the root file system, take /boot/grub from it
/// (GRUB then reads $prefix/grub.cfg).
pub fn bios_early_config(search: &RootSearch) -> String {
    format!("{}\nset prefix=($root)/boot/grub\n", search.command())
}

/// A grub.cfg booting `entry`, with the serial port and the console both as terminals.
pub fn grub_cfg(entry: &MenuEntry) -> String {
    let mut linux = format!(
        "linux {} root={}",
        quote(&entry.kernel_path),
        quote(&entry.root_arg)
    );
    for arg in &entry.kernel_arguments {
        linux.push(' ');
        linux.push_str(&quote(arg));
    }
    let initrd = entry
        .initrd_path
        .as_ref()
        .map(|p| format!("  initrd {}\n", quote(p)))
        .unwrap_or_default();
    format!(
        "# Written by ingot.\n\
         serial --unit=0 --speed=115200\n\
         terminal_input serial console\n\
         terminal_output serial console\n\
         set default=0\n\
         set timeout={timeout}\n\
         \n\
         menuentry {title} {{\n  {search}\n  {linux}\n{initrd}}}\n",
        timeout = entry.timeout,
        title = quote(&entry.title),
        search = entry.search.command(),
    )
}

/// Quotes a word for GRUB's shell-like parser: bare when it has only safe characters, else in
/// single quotes (where nothing is special, `$` included).
fn quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:=,+@%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Where the GRUB tools and modules are.
#[derive(Debug, Clone)]
pub struct Grub {
    lib_dir: PathBuf,
    path: OsString,
    /// Where built images are cached (see [`super::grub_cache`]), if anywhere.
    cache: Option<PathBuf>,
}

impl Grub {
    /// The installed GRUB: tools from PATH, modules from /usr/lib/grub.
    pub fn system() -> Self {
        Grub {
            lib_dir: PathBuf::from("/usr/lib/grub"),
            path: std::env::var_os("PATH").unwrap_or_default(),
            cache: grub_cache::default_dir(),
        }
    }

    /// GRUB with modules under `lib_dir` (one directory per target, e.g. `lib_dir/i386-pc`)
    /// and tools looked up in `path` (a PATH-style list).
    pub fn new(lib_dir: impl Into<PathBuf>, path: impl Into<OsString>) -> Self {
        Grub {
            lib_dir: lib_dir.into(),
            path: path.into(),
            cache: None,
        }
    }

    /// The same GRUB, caching its images in `dir` (or not at all).
    pub fn with_cache(self, dir: Option<PathBuf>) -> Self {
        Grub { cache: dir, ..self }
    }

    fn mkimage(&self) -> Result<PathBuf, BootError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        which::which_in("grub-mkimage", Some(&self.path), cwd).map_err(|_| BootError::ToolMissing {
            tool: "grub-mkimage",
            package: "grub-common",
        })
    }

    fn platform_dir(&self, platform: Platform) -> Result<PathBuf, BootError> {
        let dir = self.lib_dir.join(platform.target);
        if !dir.join("moddep.lst").is_file() || !dir.join("kernel.img").is_file() {
            return Err(BootError::PlatformMissing {
                platform: platform.target,
                dir,
                package: platform.package,
            });
        }
        Ok(dir)
    }

    /// Runs grub-mkimage for `platform` with `config` embedded and returns the image.
    fn make_image(
        &self,
        platform: Platform,
        prefix: &str,
        config: &str,
        modules: &[&str],
    ) -> Result<Vec<u8>, BootError> {
        self.make_image_as(platform, platform.target, prefix, config, modules)
    }

    /// Like [`Grub::make_image`], with an image format other than the platform's own
    /// (`i386-pc-eltorito` uses the i386-pc modules).
    fn make_image_as(
        &self,
        platform: Platform,
        format: &str,
        prefix: &str,
        config: &str,
        modules: &[&str],
    ) -> Result<Vec<u8>, BootError> {
        let mkimage = self.mkimage()?;
        let dir = self.platform_dir(platform)?;
        for module in modules {
            let valid = !module.is_empty()
                && module
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !valid || !dir.join(format!("{module}.mod")).is_file() {
                return Err(BootError::ModuleMissing {
                    module: module.to_string(),
                    dir,
                    package: platform.package,
                });
            }
        }
        let inputs = grub_cache::Inputs {
            mkimage: &mkimage,
            platform_dir: &dir,
            format,
            prefix,
            config,
            modules,
        };
        let cached = self.cache.as_deref().map(|d| (d, inputs.key()));
        if let Some(image) = cached
            .as_ref()
            .and_then(|(d, key)| grub_cache::load(d, key))
        {
            return Ok(image);
        }
        let work = tempfile::tempdir().map_err(BootError::io("creating a temporary directory"))?;
        // Registered, so that Ctrl-C while grub-mkimage runs removes it too.
        let _removed_on_interrupt = crate::cleanup::TempGuard::new(work.path().to_path_buf());
        let cfg = work.path().join("embedded.cfg");
        let out = work.path().join("grub.img");
        std::fs::write(&cfg, config).map_err(BootError::io(format!(
            "writing the embedded GRUB config to {}",
            cfg.display()
        )))?;
        let output = crate::child::output(
            Command::new(&mkimage)
                .env("LC_ALL", "C")
                .arg("-O")
                .arg(format)
                .arg("-d")
                .arg(&dir)
                .arg("-c")
                .arg(&cfg)
                .arg("-p")
                .arg(prefix)
                .arg("-o")
                .arg(&out)
                .args(modules),
        )
        .map_err(BootError::io(format!("running {}", mkimage.display())))?;
        if !output.status.success() {
            return Err(BootError::ToolFailed {
                tool: "grub-mkimage",
                status: output.status.to_string(),
                stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            });
        }
        let image = std::fs::read(&out).map_err(BootError::io(format!(
            "reading grub-mkimage output {}",
            out.display()
        )))?;
        if let Some((d, key)) = cached {
            grub_cache::store(d, &key, &image);
        }
        Ok(image)
    }

    /// A BIOS `core.img` with `early_config` and `modules` embedded.
    pub fn bios_core_image(
        &self,
        prefix: &str,
        early_config: &str,
        modules: &[&str],
    ) -> Result<Vec<u8>, BootError> {
        self.make_image(I386_PC, prefix, early_config, modules)
    }

    /// The El Torito (no-emulation CD boot) core for BIOS: `early_config` finds the ISO by its
    /// volume label and sets the prefix to its /boot/grub.
    pub fn bios_eltorito_image(&self, early_config: &str) -> Result<Vec<u8>, BootError> {
        self.make_image_as(
            I386_PC,
            "i386-pc-eltorito",
            "/boot/grub",
            early_config,
            ISO_BIOS_MODULES,
        )
    }

    /// GRUB's 512-byte MBR boot sector.
    pub fn boot_img(&self) -> Result<[u8; 512], BootError> {
        let path = self.platform_dir(I386_PC)?.join("boot.img");
        let bytes = std::fs::read(&path).map_err(BootError::io(format!(
            "reading {} (Debian package grub-pc-bin)",
            path.display()
        )))?;
        bytes.try_into().map_err(|b: Vec<u8>| BootError::Io {
            what: format!("{} is {} bytes, not 512", path.display(), b.len()),
            source: std::io::Error::from(std::io::ErrorKind::InvalidData),
        })
    }

    /// A standalone EFI binary with `embedded_config` and [`EFI_MODULES`].
    pub fn efi_binary(&self, arch: EfiArch, embedded_config: &str) -> Result<Vec<u8>, BootError> {
        self.make_image(arch.platform(), "/EFI/BOOT", embedded_config, EFI_MODULES)
    }

    /// Writes `boot.img` into the MBR and `core` at LBA 1; see [`install_bios`].
    pub fn install_bios(
        &self,
        disk: &dyn Target,
        core: &[u8],
        first_partition_lba: u64,
    ) -> Result<(), BootError> {
        let core = patch_core(core, first_partition_lba)?;
        let mut mbr = [0u8; 512];
        disk.read_at(&mut mbr, 0)
            .map_err(BootError::io("reading the MBR"))?;
        let mut lba1 = [0u8; 8];
        disk.read_at(&mut lba1, SECTOR)
            .map_err(BootError::io("reading LBA 1"))?;
        if &lba1 == b"EFI PART" {
            return Err(BootError::GptDisk);
        }
        let mut boot = self.boot_img()?;
        patch_boot(&mut boot, &mbr);
        disk.write_at(&core, SECTOR)
            .map_err(BootError::io("writing GRUB's core image after the MBR"))?;
        // Only the code area: the disk signature and partition table at 440..512 stay.
        disk.write_at(&boot[..440], 0)
            .map_err(BootError::io("writing GRUB's boot sector into the MBR"))
    }
}

/// Offsets in boot.img (GRUB_BOOT_MACHINE_*).
const BOOT_BPB_START: usize = 0x03;
const BOOT_BPB_END: usize = 0x5a;
const BOOT_KERNEL_SECTOR: usize = 0x5c;
const BOOT_DRIVE_CHECK: usize = 0x66;
/// Offsets of the first blocklist entry in diskboot.img, core.img's first sector.
const CORE_BLOCKLIST_START: usize = 0x1f4;
const CORE_BLOCKLIST_LEN: usize = 0x1fc;
const CORE_BLOCKLIST_SEGMENT: usize = 0x1fe;

/// core.img for LBA 1: its first sector loads the rest from LBA 2 on.
fn patch_core(core: &[u8], first_partition_lba: u64) -> Result<Vec<u8>, BootError> {
    if core.len() < SECTOR as usize {
        return Err(BootError::BadCore(format!(
            "{} bytes, less than one sector",
            core.len()
        )));
    }
    let sectors = (core.len() as u64).div_ceil(SECTOR);
    let gap = first_partition_lba.saturating_sub(1);
    if sectors > gap {
        return Err(BootError::CoreTooBig {
            core_sectors: sectors,
            gap_sectors: gap,
            first_partition_lba,
        });
    }
    let le16 = |at: usize| u16::from_le_bytes([core[at], core[at + 1]]);
    let (len, segment) = (le16(CORE_BLOCKLIST_LEN), le16(CORE_BLOCKLIST_SEGMENT));
    // grub-mkimage fills in the length of the rest and GRUB's load segment; anything else
    // means this is not an i386-pc diskboot core.
    if u64::from(len) != sectors - 1 || segment != 0x0820 {
        return Err(BootError::BadCore(format!(
            "blocklist says {len} sectors at segment {segment:#06x}, expected {} at 0x0820 \
             (build it with grub-mkimage -O i386-pc)",
            sectors - 1
        )));
    }
    let mut core = core.to_vec();
    core[CORE_BLOCKLIST_START..CORE_BLOCKLIST_START + 8].copy_from_slice(&2u64.to_le_bytes());
    Ok(core)
}

/// boot.img for a disk whose current sector 0 is `mbr`: loads core.img from LBA 1, always
/// treats the boot drive as a hard disk, and keeps the disk's BPB bytes.
fn patch_boot(boot: &mut [u8; 512], mbr: &[u8; 512]) {
    boot[BOOT_BPB_START..BOOT_BPB_END].copy_from_slice(&mbr[BOOT_BPB_START..BOOT_BPB_END]);
    boot[BOOT_KERNEL_SECTOR..BOOT_KERNEL_SECTOR + 8].copy_from_slice(&1u64.to_le_bytes());
    // The "jmp" skipping the drive-number check becomes two NOPs, as grub-bios-setup does
    // for hard disks (some BIOSes pass a bogus drive number).
    boot[BOOT_DRIVE_CHECK..BOOT_DRIVE_CHECK + 2].copy_from_slice(&[0x90, 0x90]);
}

/// [`Grub::bios_core_image`] with the installed GRUB.
pub fn bios_core_image(
    prefix: &str,
    early_config: &str,
    modules: &[&str],
) -> Result<Vec<u8>, BootError> {
    Grub::system().bios_core_image(prefix, early_config, modules)
}

/// Installs GRUB for BIOS: `boot.img` into the MBR code area (keeping the BPB bytes 3..0x5a
/// and the table 440..512) and `core` at LBA 1, refusing a core that does not fit before
/// `first_partition_lba`. Works before or after the partition table is written.
pub fn install_bios(
    disk: &dyn Target,
    core: &[u8],
    first_partition_lba: u64,
) -> Result<(), BootError> {
    Grub::system().install_bios(disk, core, first_partition_lba)
}

/// [`Grub::bios_eltorito_image`] with the installed GRUB, finding the root with `search`.
pub fn bios_eltorito_image(search: &RootSearch) -> Result<Vec<u8>, BootError> {
    Grub::system().bios_eltorito_image(&bios_early_config(search))
}

/// The embedded config of an EFI binary: Guix's exactly when the root is found by label; the
/// same with `--fs-uuid` otherwise.
pub fn efi_config(search: &RootSearch) -> String {
    match search {
        RootSearch::Label(label) => guix_efi_config(label),
        RootSearch::FsUuid(uuid) => format!(
            "insmod part_msdos\ninsmod part_gpt\nsearch --set=root --fs-uuid {uuid}\nconfigfile /boot/grub/grub.cfg\n"
        ),
    }
}

/// [`Grub::efi_binary`] with the installed GRUB.
pub fn efi_binary(arch: EfiArch, embedded_config: &str) -> Result<Vec<u8>, BootError> {
    Grub::system().efi_binary(arch, embedded_config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disk::mbr::{write_mbr, MbrEntry};
    use crate::disk::MemTarget;

    fn early() -> String {
        bios_early_config(&RootSearch::Label("rootfs".into()))
    }

    #[test]
    fn core_image_is_reproducible_and_fits_the_gap() {
        let grub = Grub::system().with_cache(None);
        let a = grub.bios_core_image("(hd0,msdos1)/boot/grub", &early(), BIOS_MODULES);
        let b = grub.bios_core_image("(hd0,msdos1)/boot/grub", &early(), BIOS_MODULES);
        let a = a.unwrap();
        assert_eq!(a, b.unwrap());
        let sectors = (a.len() as u64).div_ceil(SECTOR);
        assert!(sectors < 2047, "{sectors} sectors");
    }

    #[test]
    fn efi_binaries_are_reproducible() {
        let cfg = guix_efi_config("Guix_image");
        let grub = Grub::system().with_cache(None);
        for arch in [EfiArch::X86_64, EfiArch::Ia32] {
            let a = grub.efi_binary(arch, &cfg).unwrap();
            assert_eq!(&a[..2], b"MZ");
            assert_eq!(a, grub.efi_binary(arch, &cfg).unwrap());
        }
    }

    #[test]
    fn install_keeps_table_and_patches_both_images() {
        let core = bios_core_image("(hd0,msdos1)/boot/grub", &early(), BIOS_MODULES).unwrap();
        let entries = [MbrEntry {
            type_code: 0x83,
            bootable: true,
            first_lba: 2048,
            sectors: 2048,
        }];
        // Table first, then GRUB; and GRUB first, then the table: same bytes.
        let a = MemTarget::new(2 << 20);
        write_mbr(&a, 0x1234_5678, &entries).unwrap();
        install_bios(&a, &core, 2048).unwrap();
        let b = MemTarget::new(2 << 20);
        install_bios(&b, &core, 2048).unwrap();
        write_mbr(&b, 0x1234_5678, &entries).unwrap();
        let (a, b) = (a.into_inner(), b.into_inner());
        assert_eq!(a, b);

        let boot = Grub::system().boot_img().unwrap();
        assert_eq!(&a[..3], &boot[..3]);
        assert!(a[3..0x5a].iter().all(|x| *x == 0), "BPB area kept");
        assert_eq!(&a[0x5c..0x64], &1u64.to_le_bytes());
        assert_eq!(&a[0x66..0x68], &[0x90, 0x90]);
        assert_eq!(&a[0x68..440], &boot[0x68..440]);
        assert_eq!(&a[440..444], &0x1234_5678u32.to_le_bytes());
        assert_eq!(&a[510..512], &[0x55, 0xaa]);
        let at = 512 + CORE_BLOCKLIST_START;
        assert_eq!(&a[at..at + 8], &2u64.to_le_bytes());
        assert_eq!(&a[1024..512 + core.len()], &core[512..]);
    }

    #[test]
    fn refusals() {
        let core = bios_core_image("(hd0,msdos1)/boot/grub", &early(), BIOS_MODULES).unwrap();
        let disk = MemTarget::new(2 << 20);
        assert!(matches!(
            install_bios(&disk, &core, 64),
            Err(BootError::CoreTooBig { .. })
        ));
        assert!(matches!(
            install_bios(&disk, &[0u8; 4096], 2048),
            Err(BootError::BadCore(_))
        ));
        disk.write_at(b"EFI PART", 512).unwrap();
        assert!(matches!(
            install_bios(&disk, &core, 2048),
            Err(BootError::GptDisk)
        ));

        let no_tools = Grub::new("/usr/lib/grub", "/nonexistent");
        let err = no_tools.bios_core_image("/", "", &["ext2"]).unwrap_err();
        assert!(err.to_string().contains("grub-common"), "{err}");
        let no_modules = Grub::new("/nonexistent", std::env::var_os("PATH").unwrap());
        let err = no_modules.efi_binary(EfiArch::X86_64, "").unwrap_err();
        assert!(err.to_string().contains("grub-efi-amd64-bin"), "{err}");
        let err = Grub::system()
            .bios_core_image("/", "", &["no_such_module"])
            .unwrap_err();
        assert!(err.to_string().contains("no_such_module"), "{err}");
    }

    #[test]
    fn configs() {
        assert_eq!(
            guix_efi_config("Guix_image"),
            "insmod part_msdos\ninsmod part_gpt\nsearch --set=root --label Guix_image\nconfigfile /boot/grub/grub.cfg\n"
        );
        let cfg = grub_cfg(&MenuEntry {
            title: "GNU with Linux".into(),
            kernel_path: "/boot/vmlinuz".into(),
            initrd_path: Some("/boot/initrd.gz".into()),
            root_arg: "LABEL=Guix_image".into(),
            kernel_arguments: vec!["console=ttyS0".into(), "x=$y z".into()],
            timeout: 0,
            search: RootSearch::FsUuid("1234-ABCD".into()),
        });
        assert_eq!(
            cfg,
            "# Written by ingot.\nserial --unit=0 --speed=115200\nterminal_input serial console\n\
             terminal_output serial console\nset default=0\nset timeout=0\n\n\
             menuentry 'GNU with Linux' {\n  search --no-floppy --set=root --fs-uuid 1234-ABCD\n  \
             linux /boot/vmlinuz root=LABEL=Guix_image console=ttyS0 'x=$y z'\n  \
             initrd /boot/initrd.gz\n}\n"
        );
        // A negative timeout is GRUB's "wait for a key", written as given.
        let waiting = grub_cfg(&MenuEntry {
            title: "t".into(),
            kernel_path: "/boot/vmlinuz".into(),
            initrd_path: None,
            root_arg: "/dev/vda1".into(),
            kernel_arguments: Vec::new(),
            timeout: -1,
            search: RootSearch::FsUuid("1234-ABCD".into()),
        });
        assert!(waiting.contains("\nset timeout=-1\n"), "{waiting}");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
