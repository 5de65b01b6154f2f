//! The ISO 9660 writer (libisofs), checked with isoinfo and xorriso: volume descriptors,
//! Rock Ridge and Joliet, extraction compared with the tree, El Torito entries, the isohybrid
//! MBR/GPT, and byte-identical rebuilds.

mod format_util;

use std::fs::{self, File};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use format_util::{assert_same, fixture, load, run, stdout, Compare};
use ingot::content::{load_tar, LoadPolicy, Tree};
use ingot::fs::iso::{check_library, write_iso, BiosBoot, EfiBoot, IsoError, IsoParams};
use ingot::output::tarball::{write_tarball, TarParams};

const TIME: i64 = 1_700_000_000;

fn params() -> IsoParams {
    IsoParams {
        compression: true,
        ..IsoParams::data("INGOT_TEST", TIME)
    }
}

fn build(tree: &Tree, p: &IsoParams, path: &Path) {
    write_iso(&File::create(path).unwrap(), tree, p).unwrap();
}

/// Extracts the whole ISO with xorriso (device files included) and loads it.
fn extract(iso: &Path, dir: &Path) -> Tree {
    run(Command::new("xorriso")
        .args(["-osirrox", "on:device_files", "-indev"])
        .arg(iso)
        .args(["-extract", "/"])
        .arg(dir));
    load(dir)
}

/// 64 KiB that no compressor shrinks (xorshift64).
fn noise() -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..8192)
        .flat_map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()
        })
        .collect()
}

/// A text file that zisofs shrinks well.
fn compressible() -> Vec<u8> {
    (0..20_000)
        .map(|i| format!("line {i}\n"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn iso_holds_the_tree_with_rock_ridge_and_joliet() {
    check_library().expect("libisofs6 is installed by scripts/install-deps.sh");
    let (dir, mut tree) = fixture();
    tree.add_bytes("/usr/share/doc/numbers.txt", compressible(), 0o644)
        .unwrap();
    tree.add_bytes("/var/noise.bin", noise(), 0o644).unwrap();
    let iso = dir.path().join("a.iso");
    build(&tree, &params(), &iso);

    let info = stdout(Command::new("isoinfo").args(["-d", "-i"]).arg(&iso));
    assert!(info.contains("Volume id: INGOT_TEST"), "{info}");
    assert!(info.contains("Rock Ridge signatures"), "{info}");
    assert!(info.contains("Joliet with UCS level 3 found"), "{info}");

    // Rock Ridge modes, owners, device numbers and the socket, as isoinfo reads them.
    let listing = stdout(Command::new("isoinfo").args(["-l", "-R", "-i"]).arg(&iso));
    for want in [
        " busybox ",
        " sh -> busybox",
        " long-link -> /ttt",
        " .profile ",
        " log ",
    ] {
        assert!(listing.contains(want), "missing {want:?} in\n{listing}");
    }
    let line = |name: &str| {
        listing
            .lines()
            .find(|l| l.trim_end().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not listed"))
            .to_string()
    };
    // (isoinfo prints owners in octal: 1000:100 shows as 1750:144.)
    assert!(
        line(" .profile").starts_with("-rw-------   1 1750  144"),
        "{}",
        line(" .profile")
    );
    assert!(
        line(" log").starts_with("s"),
        "sockets are kept: {}",
        line(" log")
    );
    // Hard links: one extent, link count 3 (Rock Ridge 1.10 records no inode numbers).
    assert!(
        line(" hostname2").contains("   3    0    0"),
        "3 links: {}",
        line(" hostname2")
    );
    let extent = |l: String| l[l.find('[').unwrap()..l.find(']').unwrap()].to_string();
    assert_eq!(extent(line(" hostname2")), extent(line(" hostname3")));
    // isoinfo shows no setuid or sticky bits; xorriso does.
    let tmp = stdout(
        Command::new("xorriso")
            .arg("-indev")
            .arg(&iso)
            .args(["-lsdl", "/tmp"]),
    );
    assert!(tmp.contains("drwxrwxrwt"), "{tmp}");
    let lsdl = stdout(
        Command::new("xorriso")
            .arg("-indev")
            .arg(&iso)
            .args(["-lsdl", "/bin/busybox"]),
    );
    assert!(lsdl.contains("-rwsr-xr-x"), "{lsdl}");

    // Joliet names (what Windows shows), long ones kept.
    let joliet = stdout(Command::new("isoinfo").args(["-l", "-J", "-i"]).arg(&iso));
    assert!(joliet.contains("hostname2"), "{joliet}");

    // zisofs: the text file is compressed, noise is not (it would not shrink).
    let stream = |p: &str| {
        stdout(
            Command::new("xorriso")
                .args(["-indev"])
                .arg(&iso)
                .args(["-show_stream", p]),
        )
    };
    assert!(stream("/usr/share/doc/numbers.txt").contains("zisofs"));
    assert!(!stream("/var/noise.bin").contains("zisofs"));

    // Extracted, it is the tree: data, modes, owners, dates, links, devices.
    let extracted = extract(&iso, &dir.path().join("x"));
    let cmp = Compare {
        mtime: None, // the tree's times (a load clamps them to SOURCE_DATE_EPOCH)
        owners: true,
        xattrs: false, // ISO 9660 has no place for them (libisofs' AAIP is not read by Linux)
        root_meta: true,
        hardlinks: false, // see above: no inode numbers to restore them from
    };
    assert_same(&tree, &extracted, cmp);
}

#[test]
fn iso_is_reproducible_wherever_the_files_are() {
    let (dir, tree) = fixture();
    let a = dir.path().join("a.iso");
    let b = dir.path().join("b.iso");
    build(&tree, &params(), &a);
    build(&tree, &params(), &b);
    let bytes = fs::read(&a).unwrap();
    assert!(
        bytes == fs::read(&b).unwrap(),
        "two builds in one process differ"
    );

    // The same content copied elsewhere (other inode numbers, other paths).
    let copy = dir.path().join("copy");
    run(Command::new("cp")
        .arg("-a")
        .arg(dir.path().join("root"))
        .arg(&copy));
    let tree2 = ingot::content::load_dir(
        &copy,
        LoadPolicy {
            owners: ingot::content::Owners::Keep,
            clamp_mtime: None,
        },
    )
    .unwrap();
    let c = dir.path().join("c.iso");
    build(&tree2, &params(), &c);
    assert!(
        bytes == fs::read(&c).unwrap(),
        "a copy of the tree gives another image"
    );

    // The same tree read from a tar archive (members streamed from the archive).
    let tar = dir.path().join("root.tar.gz");
    write_tarball(
        &File::create(&tar).unwrap(),
        &tree,
        &TarParams { wsl2: false },
    )
    .unwrap();
    let from_tar = load_tar(
        &tar,
        LoadPolicy {
            owners: ingot::content::Owners::Keep,
            clamp_mtime: None,
        },
    )
    .unwrap();
    let d = dir.path().join("d.iso");
    build(&from_tar, &params(), &d);
    let extracted = extract(&d, &dir.path().join("x"));
    let cmp = Compare {
        mtime: None,
        owners: true,
        xattrs: false,
        root_meta: false,
        hardlinks: false,
    };
    assert_same(&tree, &extracted, cmp);

    // Dates: the volume "UUID" (creation/modification dates) comes from the timestamp.
    let info = stdout(Command::new("isoinfo").args(["-d", "-i"]).arg(&a));
    assert!(!info.contains("2026"), "no date from the clock: {info}");
    let uuid = stdout(
        Command::new("blkid")
            .args(["-o", "value", "-s", "UUID"])
            .arg(&a),
    );
    assert_eq!(uuid.trim(), "2023-11-14-22-13-20-00");
    let mut p = params();
    p.volume_uuid = Some(*b"2020010203040506");
    build(&tree, &p, &b);
    let uuid = stdout(
        Command::new("blkid")
            .args(["-o", "value", "-s", "UUID"])
            .arg(&b),
    );
    assert_eq!(uuid.trim(), "2020-01-02-03-04-05-06");
}

/// A tree with GRUB's El Torito core, and a FAT image with GRUB for EFI.
fn boot_inputs(dir: &Path) -> (Tree, PathBuf) {
    let mut tree = Tree::new();
    tree.set_all_mtimes(TIME);
    tree.add_bytes("/boot/grub/grub.cfg", b"set timeout=0\n".to_vec(), 0o644)
        .unwrap();
    tree.add_bytes("/etc/motd", compressible(), 0o644).unwrap();
    let core = dir.join("eltorito.img");
    let mods = ["iso9660", "normal", "linux", "echo", "configfile", "search"];
    run(Command::new("grub-mkimage")
        .args(["-O", "i386-pc-eltorito", "-p", "/boot/grub", "-o"])
        .arg(&core)
        .arg("biosdisk")
        .args(mods));
    tree.add_host_file("/boot/grub/i386-pc/eltorito.img", &core, Some(0o644))
        .unwrap();
    let efi = dir.join("BOOTX64.EFI");
    run(Command::new("grub-mkimage")
        .args(["-O", "x86_64-efi", "-p", "/boot/grub", "-o"])
        .arg(&efi)
        .args(mods));
    let esp = dir.join("esp.img");
    run(Command::new("mkfs.vfat")
        .args(["-C", "-n", "ESP", "-i", "12345678"])
        .arg(&esp)
        .arg("2048"));
    run(Command::new("mmd")
        .arg("-i")
        .arg(&esp)
        .args(["::/EFI", "::/EFI/BOOT"]));
    run(Command::new("mcopy")
        .arg("-i")
        .arg(&esp)
        .arg(&efi)
        .arg("::/EFI/BOOT/BOOTX64.EFI"));
    (tree, esp)
}

fn boot_params(esp: &Path, isohybrid: bool) -> IsoParams {
    IsoParams {
        bios_boot: Some(BiosBoot {
            image_path_in_tree: "boot/grub/i386-pc/eltorito.img".into(),
            catalog_path: "boot/grub/boot.cat".into(),
        }),
        efi_boot: Some(EfiBoot {
            esp_image: esp.to_path_buf(),
        }),
        isohybrid,
        ..params()
    }
}

fn reports(iso: &Path) -> String {
    stdout(Command::new("xorriso").arg("-indev").arg(iso).args([
        "-report_el_torito",
        "plain",
        "-report_system_area",
        "plain",
    ]))
}

#[test]
fn hybrid_iso_has_bios_and_efi_entries_and_partition_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (tree, esp) = boot_inputs(dir.path());
    let iso = dir.path().join("boot.iso");
    build(&tree, &boot_params(&esp, true), &iso);
    let r = reports(&iso);
    let has = |s: &str| assert!(r.lines().any(|l| l.contains(s)), "missing {s:?} in\n{r}");
    // El Torito: BIOS entry (4 sectors, patched tables) and UEFI entry.
    has("El Torito cat path : /boot/grub/boot.cat");
    has("El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4");
    has("El Torito img path :   1  /boot/grub/i386-pc/eltorito.img");
    has("El Torito img opts :   1  boot-info-table grub2-boot-info");
    has("El Torito boot img :   2  UEFI  y   none  0x0000  0x00   4096");
    // MBR with GRUB's hybrid code, partition offset 16, GPT with the ESP as partition 2.
    has("System area summary: MBR protective-msdos-label grub2-mbr cyl-align-off GPT");
    has("Partition offset   : 16");
    has("MBR partition      :   2   0x80");
    has("GPT partname local :   1  ISO9660");
    has("GPT type GUID      :   2  28732ac11ff8d211ba4b00a0c93ec93b"); // EFI system partition
    has("GPT start and size :   2");

    // The appended partition holds the FAT image byte for byte, and fsck.vfat accepts it there.
    let line = r
        .lines()
        .find(|l| l.starts_with("GPT start and size :   2"))
        .unwrap();
    let start: u64 = line.split_whitespace().nth(6).unwrap().parse().unwrap();
    let esp_bytes = fs::read(&esp).unwrap();
    let mut got = vec![0u8; esp_bytes.len()];
    File::open(&iso)
        .unwrap()
        .read_exact_at(&mut got, start * 512)
        .unwrap();
    assert!(got == esp_bytes, "partition 2 is the ESP image");
    // The MBR carries GRUB's code and the boot signature.
    let mbr = &fs::read(&iso).unwrap()[..512];
    let grub = fs::read("/usr/lib/grub/i386-pc/boot_hybrid.img").unwrap();
    assert_eq!(&mbr[..0x1b0], &grub[..0x1b0]);
    assert_eq!(&mbr[510..], &[0x55, 0xaa]);
    // The GPT as sgdisk sees it: valid, and partition 2 is type EF00.
    let sg = stdout(Command::new("sgdisk").arg("-p").arg(&iso));
    assert!(
        sg.lines()
            .any(|l| l.trim_start().starts_with('2') && l.contains("EF00")),
        "{sg}"
    );

    // The core image got its boot info table (LBA of the PVD at offset 8 = 16).
    let x = dir.path().join("x");
    extract(&iso, &x);
    let core = fs::read(x.join("boot/grub/i386-pc/eltorito.img")).unwrap();
    assert_eq!(
        &core[8..12],
        &16u32.to_le_bytes(),
        "boot info table: PVD at LBA 16"
    );

    // Reproducible with boot entries and tables too.
    let again = dir.path().join("again.iso");
    build(&tree, &boot_params(&esp, true), &again);
    assert!(
        fs::read(&iso).unwrap() == fs::read(&again).unwrap(),
        "two builds differ"
    );
}

#[test]
fn plain_iso_hides_the_efi_image_and_has_no_partition_table() {
    let dir = tempfile::tempdir().unwrap();
    let (tree, esp) = boot_inputs(dir.path());
    let iso = dir.path().join("plain.iso");
    let mut p = boot_params(&esp, false);
    p.compression = false;
    p.volume_id = "GUIX-IMAGE 1.0".into();
    build(&tree, &p, &iso);
    // The volume id as given, in the primary descriptor (isoinfo) and Joliet (blkid).
    let info = stdout(Command::new("isoinfo").args(["-d", "-i"]).arg(&iso));
    assert!(info.contains("Volume id: GUIX-IMAGE 1.0"), "{info}");
    let label = stdout(
        Command::new("blkid")
            .args(["-o", "value", "-s", "LABEL"])
            .arg(&iso),
    );
    assert_eq!(label.trim(), "GUIX-IMAGE 1.0");
    let r = reports(&iso);
    assert!(
        r.contains("El Torito boot img :   2  UEFI  y   none  0x0000  0x00   4096"),
        "{r}"
    );
    assert!(!r.contains("GPT"), "{r}");
    assert!(fs::read(&iso).unwrap()[510..512] != [0x55, 0xaa], "no MBR");
    let listing = stdout(Command::new("isoinfo").args(["-l", "-R", "-i"]).arg(&iso));
    assert!(
        !listing.contains("ingot-esp"),
        "the EFI image is hidden:\n{listing}"
    );
    let motd = stdout(
        Command::new("xorriso")
            .arg("-indev")
            .arg(&iso)
            .args(["-show_stream", "/etc/motd"]),
    );
    assert!(!motd.contains("zisofs"), "compression off: {motd}");
}

#[test]
fn bad_parameters_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (tree, esp) = boot_inputs(dir.path());
    let out = dir.path().join("x.iso");
    let err = |p: &IsoParams| match write_iso(&File::create(&out).unwrap(), &tree, p) {
        Err(e) => e.to_string(),
        Ok(()) => panic!("accepted {p:?}"),
    };
    let mut p = boot_params(&esp, true);
    p.volume_id = "lower".into();
    assert!(err(&p).contains("upper-case the label"), "{}", err(&p));
    let mut p = boot_params(&esp, true);
    p.bios_boot.as_mut().unwrap().image_path_in_tree = "boot/missing.img".into();
    assert!(
        err(&p).contains("/boot/missing.img is not a regular file"),
        "{}",
        err(&p)
    );
    let mut p = boot_params(&esp, true);
    p.bios_boot.as_mut().unwrap().catalog_path = "nodir/boot.cat".into();
    assert!(err(&p).contains("nodir/boot.cat"), "{}", err(&p));
    let mut p = boot_params(&esp, true);
    p.efi_boot = Some(EfiBoot {
        esp_image: dir.path().join("none.img"),
    });
    assert!(err(&p).contains("none.img"), "{}", err(&p));
    let mut p = params();
    p.volume_uuid = Some(*b"2020-01-02-03-04");
    assert!(err(&p).contains("16 digits"), "{}", err(&p));

    // A file that shrinks between loading and writing is an error naming it.
    let mut t = Tree::new();
    let host = dir.path().join("shrinks");
    fs::write(&host, vec![7u8; 100_000]).unwrap();
    t.add_host_file("/data/shrinks", &host, None).unwrap();
    fs::write(&host, b"short").unwrap();
    match write_iso(&File::create(&out).unwrap(), &t, &params()) {
        Err(e @ IsoError::Read { .. }) => assert!(e.to_string().contains("/data/shrinks"), "{e}"),
        other => panic!("expected a read error, got {other:?}"),
    }
}

#[test]
fn hybrid_with_one_boot_entry() {
    let dir = tempfile::tempdir().unwrap();
    let (tree, esp) = boot_inputs(dir.path());
    // BIOS only: a classic isohybrid MBR, partition 1 active, type 0x83, from 32 KiB on.
    let bios = dir.path().join("bios.iso");
    let mut p = boot_params(&esp, true);
    p.efi_boot = None;
    build(&tree, &p, &bios);
    let r = reports(&bios);
    assert!(
        r.contains("System area summary: MBR grub2-mbr cyl-align"),
        "{r}"
    );
    assert!(
        r.contains("MBR partition      :   1   0x80  0x83           64"),
        "{r}"
    );
    assert!(!r.contains("UEFI") && !r.contains("GPT"), "{r}");
    let sf = stdout(Command::new("sfdisk").arg("--dump").arg(&bios));
    assert!(
        sf.contains("start=          64") && sf.contains("type=83, bootable"),
        "{sf}"
    );

    // EFI only: protective MBR and GPT, the catalog at grub-mkrescue's default place.
    let efi = dir.path().join("efi.iso");
    let mut p = boot_params(&esp, true);
    p.bios_boot = None;
    build(&tree, &p, &efi);
    let r = reports(&efi);
    assert!(r.contains("El Torito cat path : /boot.catalog"), "{r}");
    assert!(
        r.contains("El Torito boot img :   1  UEFI  y   none"),
        "{r}"
    );
    assert!(
        r.contains("System area summary: MBR protective-msdos-label cyl-align-off GPT"),
        "{r}"
    );
    assert!(!r.contains("BIOS"), "{r}");
    assert!(
        fs::read(&efi).unwrap()[..440].iter().all(|b| *b == 0),
        "no boot code without BIOS"
    );
}
