//! Checking the parameters against the tree, then building the libisofs image: every node of
//! the content tree, the El Torito entries and the file streams.

use std::collections::HashMap;
use std::ffi::{c_char, c_int, CStr, CString};
use std::ptr;

use super::ffi::{self, ElToritoBootImage, IsoDir, IsoFile, IsoImage, IsoNode, Lib};
use super::stream::{self, ErrorSlot};
use super::zisofs::{self, Compressed};
use super::{compress, IsoError, IsoParams, GRUB_HYBRID_MBR};
use crate::content::{FileSource, NodeId, NodeKind, Tree, ROOT};

/// What `check` found out, for `build` and `output`.
pub struct Plan {
    /// 32 KiB of system area (GRUB's hybrid MBR code at its start), for isohybrid + BIOS.
    pub system_area: Option<Vec<u8>>,
    /// "/boot/grub/i386-pc/eltorito.img"
    pub bios_image: Option<String>,
    pub catalog: String,
    /// Size of the EFI FAT image.
    pub esp_size: u64,
    /// The 16 digits of the volume "UUID".
    pub vol_uuid: [u8; 16],
    /// Some node has xattrs or ACLs: write AAIP (see `aaip`).
    pub aaip: bool,
}

/// Name of the hidden node holding the FAT image when it is not appended as a partition.
const HIDDEN_ESP: &str = "ingot-esp.img";
/// The boot catalog's place when only an EFI entry exists (grub-mkrescue's default).
const DEFAULT_CATALOG: &str = "/boot.catalog";

fn absolute(path: &str) -> String {
    format!("/{}", path.trim_start_matches('/'))
}

fn bad(what: &'static str, reason: impl Into<String>) -> IsoError {
    IsoError::Parameter {
        what,
        reason: reason.into(),
    }
}

/// Validates everything that can be validated before libisofs is involved.
pub fn check(tree: &Tree, p: &IsoParams) -> Result<Plan, IsoError> {
    let id = &p.volume_id;
    if id.is_empty()
        || id.len() > 32
        || !id
            .bytes()
            .all(|b| (b.is_ascii_graphic() || b == b' ') && !b.is_ascii_lowercase())
    {
        return Err(bad(
            "volume_id",
            format!(
                "{id:?}: use 1 to 32 ASCII characters without lower-case letters \
                 (upper-case the label, as Guix does)"
            ),
        ));
    }
    let vol_uuid = match p.volume_uuid {
        Some(digits) if digits.iter().all(u8::is_ascii_digit) => digits,
        Some(digits) => {
            return Err(bad(
                "volume_uuid",
                format!(
                    "{:?}: an ISO 9660 volume UUID is 16 digits YYYYMMDDhhmmsscc",
                    String::from_utf8_lossy(&digits)
                ),
            ))
        }
        None => date_digits(p.timestamp),
    };

    let mut bios_image = None;
    let mut catalog = DEFAULT_CATALOG.to_string();
    if let Some(bios) = &p.bios_boot {
        let path = absolute(&bios.image_path_in_tree);
        match tree.lookup(&path).map(|id| &tree.node(id).kind) {
            Some(NodeKind::File { .. }) => {}
            _ => {
                return Err(bad(
                    "bios_boot.image_path_in_tree",
                    format!(
                        "{path} is not a regular file in the content tree (the GRUB El Torito \
                         core made by grub-mkimage -O i386-pc-eltorito belongs there)"
                    ),
                ))
            }
        }
        bios_image = Some(path);
        catalog = absolute(&bios.catalog_path);
    }
    check_catalog(tree, &catalog)?;
    let mut esp_size = 0;
    if let Some(efi) = &p.efi_boot {
        let md = std::fs::metadata(&efi.esp_image).map_err(|source| IsoError::Input {
            path: efi.esp_image.clone(),
            source,
        })?;
        if !md.is_file() || md.len() == 0 || md.len() % 512 != 0 {
            return Err(bad(
                "efi_boot.esp_image",
                format!(
                    "{} must be a FAT file system image (a non-empty file, a multiple of 512 \
                     bytes)",
                    efi.esp_image.display()
                ),
            ));
        }
        esp_size = md.len();
        if !p.isohybrid && tree.lookup(HIDDEN_ESP).is_some() {
            return Err(IsoError::Content {
                path: format!("/{HIDDEN_ESP}"),
                reason: "this name is reserved for the EFI boot image".into(),
            });
        }
    }
    let system_area = if p.isohybrid && p.bios_boot.is_some() {
        let code = std::fs::read(GRUB_HYBRID_MBR).map_err(|source| IsoError::Input {
            path: format!("{GRUB_HYBRID_MBR} (GRUB's hybrid MBR: apt-get install grub-pc-bin)")
                .into(),
            source,
        })?;
        if code.len() != 512 {
            // libisofs writes the partition table over it; the code is in the first 440.
            return Err(bad(
                "isohybrid",
                format!(
                    "{GRUB_HYBRID_MBR} is {} bytes, not GRUB's 512-byte MBR",
                    code.len()
                ),
            ));
        }
        let mut area = vec![0u8; 32768];
        area[..code.len()].copy_from_slice(&code);
        Some(area)
    } else {
        None
    };
    Ok(Plan {
        system_area,
        bios_image,
        catalog,
        esp_size,
        vol_uuid,
        aaip: tree.nodes().any(|(_, n)| !n.meta.xattrs.is_empty()),
    })
}

fn check_catalog(tree: &Tree, catalog: &str) -> Result<(), IsoError> {
    let (dir, name) = catalog.rsplit_once('/').unwrap_or(("", catalog));
    let dir_ok = matches!(
        tree.lookup(if dir.is_empty() { "/" } else { dir })
            .map(|id| &tree.node(id).kind),
        Some(NodeKind::Dir(_))
    );
    if name.is_empty() || !dir_ok || tree.lookup(catalog).is_some() {
        return Err(bad(
            "bios_boot.catalog_path",
            format!(
                "{catalog}: its directory must exist in the content tree and the name must not"
            ),
        ));
    }
    Ok(())
}

/// "YYYYMMDDhhmmss00" of a time in UTC.
fn date_digits(secs: i64) -> [u8; 16] {
    let t = crate::time::UtcTime::from_epoch(secs);
    let year = t.year.clamp(0, 9999);
    let text = format!(
        "{year:04}{:02}{:02}{:02}{:02}{:02}00",
        t.month, t.day, t.hour, t.minute, t.second
    );
    let mut out = [b'0'; 16];
    out.copy_from_slice(&text.as_bytes()[..16]);
    out
}

/// A libisofs image and what must live as long as it.
pub struct Built<'l> {
    lib: &'l Lib,
    pub image: *mut IsoImage,
    /// First read error of any file stream.
    pub errors: ErrorSlot,
}

impl Built<'_> {
    /// The first file read error, which explains a failed libisofs call better than its code.
    pub fn read_error(&self) -> Option<IsoError> {
        let mut slot = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        slot.take()
            .map(|(path, source)| IsoError::Read { path, source })
    }
}

impl Drop for Built<'_> {
    fn drop(&mut self) {
        // SAFETY: the image came from iso_image_new and is released once.
        unsafe { (self.lib.iso_image_unref)(self.image) }
    }
}

/// Turns a libisofs return code into a Result.
pub fn check_rc(lib: &Lib, rc: c_int, call: &'static str, path: &str) -> Result<c_int, IsoError> {
    if rc >= 0 {
        return Ok(rc);
    }
    // SAFETY: iso_error_to_msg returns a static string for any code.
    let text = unsafe { CStr::from_ptr((lib.iso_error_to_msg)(rc)) };
    let mut message = text.to_string_lossy().into_owned();
    for m in take_messages(lib) {
        message.push_str("; ");
        message.push_str(&m);
    }
    Err(IsoError::Library {
        call,
        context: if path.is_empty() {
            String::new()
        } else {
            format!(" for {path}")
        },
        message,
    })
}

/// Drains libisofs' message queue (SORRY and worse); returns the first 20, oldest first.
pub fn take_messages(lib: &Lib) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let mut text = vec![0 as c_char; ffi::ISO_MSGS_MESSAGE_LEN];
        let mut severity = [0 as c_char; 80];
        let (mut code, mut imgid) = (0, 0);
        // SAFETY: buffers of the sizes libisofs.h requires.
        let rc = unsafe {
            (lib.iso_obtain_msgs)(
                c"ALL".as_ptr().cast_mut(),
                &mut code,
                &mut imgid,
                text.as_mut_ptr(),
                severity.as_mut_ptr(),
            )
        };
        if rc <= 0 {
            return out;
        }
        if out.len() >= 20 {
            continue; // drained, not kept
        }
        // SAFETY: libisofs NUL-terminates both.
        let (text, severity) = unsafe {
            (
                CStr::from_ptr(text.as_ptr()).to_string_lossy().into_owned(),
                CStr::from_ptr(severity.as_ptr())
                    .to_string_lossy()
                    .into_owned(),
            )
        };
        out.push(format!("{severity}: {text}"));
    }
}

fn c_string(bytes: &[u8], path: &str) -> Result<CString, IsoError> {
    CString::new(bytes).map_err(|_| IsoError::Content {
        path: path.to_string(),
        reason: "a name or symlink target contains a NUL byte".into(),
    })
}

/// Names the ISO cannot hold are refused, not cut: libisofs would cut a Rock Ridge name past
/// 255 bytes. (A name that is not UTF-8 keeps its bytes in Rock Ridge; Joliet gets a
/// substitute, which `output::iso::warnings` names.)
fn check_name(name: &[u8], path: &str) -> Result<(), IsoError> {
    if name.len() <= 255 {
        return Ok(());
    }
    Err(IsoError::Content {
        path: path.to_string(),
        reason: format!(
            "a name of {} bytes; ISO 9660 names may have at most 255",
            name.len()
        ),
    })
}

/// Creates the libisofs image with every node of `tree` and the boot entries.
pub fn build<'l>(
    lib: &'l Lib,
    tree: &Tree,
    p: &IsoParams,
    plan: &Plan,
) -> Result<Built<'l>, IsoError> {
    let mut now = p.timestamp as libc::time_t;
    let vol = c_string(p.volume_id.as_bytes(), "volume id")?;
    let compressed = if p.compression {
        zisofs::compress_all(&compression_jobs(tree, plan), p.temp_dir.as_deref())?
    } else {
        HashMap::new()
    };
    let mut image: *mut IsoImage = ptr::null_mut();
    // SAFETY: valid pointers; iso_nowtime makes libisofs' "now" the timestamp, so no default
    // it fills in comes from the clock.
    unsafe {
        (lib.iso_nowtime)(&mut now, 1);
        check_rc(
            lib,
            (lib.iso_image_new)(vol.as_ptr(), &mut image),
            "iso_image_new",
            "",
        )?;
    }
    let built = Built {
        lib,
        image,
        errors: ErrorSlot::default(),
    };
    // SAFETY: image is valid; the ids are copied by libisofs.
    unsafe {
        (lib.iso_image_set_volume_id)(image, vol.as_ptr());
        (lib.iso_image_set_volset_id)(image, vol.as_ptr());
        (lib.iso_image_set_system_id)(image, c"LINUX".as_ptr());
        (lib.iso_image_set_application_id)(image, c"INGOT".as_ptr());
    }
    add_tree(lib, &built, tree, &compressed)?;
    add_boot(lib, &built, p, plan)?;
    Ok(built)
}

/// Sets the metadata every node gets: the tree's mode, owners and time (the tree's times
/// are already clamped to SOURCE_DATE_EPOCH; atime and ctime follow mtime).
///
/// # Safety
/// `node` must be a live node of the image.
unsafe fn set_meta(lib: &Lib, node: *mut IsoNode, meta: &crate::content::Meta) {
    (lib.iso_node_set_permissions)(node, (meta.mode & 0o7777) as libc::mode_t);
    (lib.iso_node_set_uid)(node, meta.uid);
    (lib.iso_node_set_gid)(node, meta.gid);
    let t = meta.mtime as libc::time_t;
    (lib.iso_node_set_mtime)(node, t);
    (lib.iso_node_set_atime)(node, t);
    (lib.iso_node_set_ctime)(node, t);
}

/// The regular files to zisofs-compress, each tree node once.
fn compression_jobs<'t>(tree: &'t Tree, plan: &Plan) -> Vec<zisofs::Job<'t>> {
    let mut seen = std::collections::HashSet::new();
    let mut jobs = Vec::new();
    let mut stack: Vec<(NodeId, Vec<u8>)> = vec![(ROOT, Vec::new())];
    while let Some((dir, dir_path)) = stack.pop() {
        for (name, id) in tree.children(dir) {
            let path = [dir_path.as_slice(), b"/", name].concat();
            match &tree.node(*id).kind {
                NodeKind::Dir(_) => stack.push((*id, path)),
                NodeKind::File { size, source } if seen.insert(*id) => {
                    let text = String::from_utf8_lossy(&path).into_owned();
                    let boot = plan.bios_image.as_deref() == Some(text.as_str());
                    if !boot && compress::wanted(&path, *size) {
                        jobs.push(zisofs::Job {
                            id: *id,
                            path: text,
                            source,
                            size: *size,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    jobs
}

fn add_tree(
    lib: &Lib,
    built: &Built,
    tree: &Tree,
    compressed: &HashMap<NodeId, Compressed>,
) -> Result<(), IsoError> {
    let image = built.image;
    // SAFETY: image is valid.
    let root = unsafe { (lib.iso_image_get_root)(image) };
    unsafe {
        set_meta(lib, root, &tree.node(ROOT).meta);
        super::aaip::apply(lib, root, &tree.node(ROOT).meta, "/")?;
    }
    // The first IsoFile of each tree node: later hard links share its stream (and data).
    let mut files: HashMap<NodeId, *mut IsoFile> = HashMap::new();
    let mut stack: Vec<(NodeId, *mut IsoDir, Vec<u8>)> = vec![(ROOT, root, Vec::new())];
    while let Some((dir_id, dir, dir_path)) = stack.pop() {
        // libisofs keeps a directory's children in a sorted list and finds each new name's
        // place from the front (strcmp over every sibling): adding them in descending order
        // makes that place the front, so a directory costs n comparisons, not n²/2.
        for (name, id) in tree.children(dir_id).iter().rev() {
            let path_bytes = [dir_path.as_slice(), b"/", name].concat();
            let path = crate::content::display_name(&path_bytes);
            check_name(name, &path)?;
            let c_name = c_string(name, &path)?;
            let node = tree.node(*id);
            let mut new: *mut IsoNode = ptr::null_mut();
            // SAFETY: dir and image are live; names are copied by libisofs; streams are
            // handed over with their reference.
            unsafe {
                match &node.kind {
                    NodeKind::Dir(_) => {
                        let rc = (lib.iso_image_add_new_dir)(image, dir, c_name.as_ptr(), &mut new);
                        check_rc(lib, rc, "iso_image_add_new_dir", &path)?;
                        stack.push((*id, new, path_bytes.clone()));
                    }
                    NodeKind::File { size, source } => {
                        let zisofs = compressed.get(id);
                        let (source, size) = match zisofs {
                            Some(c) => (
                                FileSource::Archive {
                                    file: std::sync::Arc::clone(&c.file),
                                    offset: c.offset,
                                },
                                c.len,
                            ),
                            None => (source.clone(), *size),
                        };
                        new =
                            add_file(lib, built, dir, &c_name, *id, size, &source, &path, &files)?;
                        files.entry(*id).or_insert(new);
                        if zisofs.is_some() {
                            // bit3: this node only. Makes libisofs write the ZF entry.
                            let rc = (lib.iso_node_zf_by_magic)(new, 8);
                            if check_rc(lib, rc, "iso_node_zf_by_magic", &path)? != 1 {
                                return Err(IsoError::Library {
                                    call: "iso_node_zf_by_magic",
                                    context: format!(" for {path}"),
                                    message: "the zisofs header was not recognised".into(),
                                });
                            }
                        }
                    }
                    NodeKind::Symlink(target) => {
                        let c_target = c_string(target, &path)?;
                        let rc = (lib.iso_image_add_new_symlink)(
                            image,
                            dir,
                            c_name.as_ptr(),
                            c_target.as_ptr(),
                            &mut new,
                        );
                        check_rc(lib, rc, "iso_image_add_new_symlink", &path)?;
                    }
                    NodeKind::CharDevice { major, minor } => {
                        new = add_special(
                            lib,
                            image,
                            dir,
                            &c_name,
                            libc::S_IFCHR,
                            libc::makedev(*major, *minor),
                            &path,
                        )?;
                    }
                    NodeKind::BlockDevice { major, minor } => {
                        new = add_special(
                            lib,
                            image,
                            dir,
                            &c_name,
                            libc::S_IFBLK,
                            libc::makedev(*major, *minor),
                            &path,
                        )?;
                    }
                    NodeKind::Fifo => {
                        new = add_special(lib, image, dir, &c_name, libc::S_IFIFO, 0, &path)?;
                    }
                    NodeKind::Socket => {
                        new = add_special(lib, image, dir, &c_name, libc::S_IFSOCK, 0, &path)?;
                    }
                }
                set_meta(lib, new, &node.meta);
                super::aaip::apply(lib, new, &node.meta, &path)?;
                if path_bytes.starts_with(b"/boot/") {
                    // Boot files first on the medium, as grub-mkrescue's --sort-weight 1 /boot.
                    (lib.iso_node_set_sort_weight)(new, 1);
                }
            }
        }
    }
    Ok(())
}

/// Adds a regular file: a new stream for the first entry of a tree node, the first entry's
/// stream (zisofs filter included) for further hard links.
#[allow(clippy::too_many_arguments)]
unsafe fn add_file(
    lib: &Lib,
    built: &Built,
    dir: *mut IsoDir,
    name: &CString,
    id: NodeId,
    size: u64,
    source: &FileSource,
    path: &str,
    files: &HashMap<NodeId, *mut IsoFile>,
) -> Result<*mut IsoFile, IsoError> {
    let stream = match files.get(&id) {
        Some(first) => {
            let s = (lib.iso_file_get_stream)(*first);
            (lib.iso_stream_ref)(s);
            s
        }
        None => stream::new_stream(source, size, id as u64 + 1, path.to_string(), &built.errors)
            .ok_or_else(|| IsoError::Write {
                source: std::io::Error::from(std::io::ErrorKind::OutOfMemory),
            })?,
    };
    let mut file: *mut IsoFile = ptr::null_mut();
    let rc = (lib.iso_image_add_new_file)(built.image, dir, name.as_ptr(), stream, &mut file);
    check_rc(lib, rc, "iso_image_add_new_file", path)?;
    Ok(file)
}

unsafe fn add_special(
    lib: &Lib,
    image: *mut IsoImage,
    dir: *mut IsoDir,
    name: &CString,
    kind: libc::mode_t,
    dev: libc::dev_t,
    path: &str,
) -> Result<*mut IsoNode, IsoError> {
    let mut node: *mut IsoNode = ptr::null_mut();
    let rc =
        (lib.iso_image_add_new_special)(image, dir, name.as_ptr(), kind | 0o644, dev, &mut node);
    check_rc(lib, rc, "iso_image_add_new_special", path)?;
    Ok(node)
}

/// The El Torito catalog and entries.
fn add_boot(lib: &Lib, built: &Built, p: &IsoParams, plan: &Plan) -> Result<(), IsoError> {
    let image = built.image;
    let catalog = c_string(plan.catalog.as_bytes(), &plan.catalog)?;
    let mut have_catalog = false;
    if let Some(bios) = &plan.bios_image {
        let path = c_string(bios.as_bytes(), bios)?;
        let mut boot: *mut ElToritoBootImage = ptr::null_mut();
        // SAFETY: live image, valid strings; the boot entry is owned by the image.
        unsafe {
            let rc = (lib.iso_image_set_boot_image)(
                image,
                path.as_ptr(),
                ffi::ELTORITO_NO_EMUL,
                catalog.as_ptr(),
                &mut boot,
            );
            check_rc(lib, rc, "iso_image_set_boot_image", bios)?;
            // grub-mkrescue: -no-emul-boot -boot-load-size 4 -boot-info-table --grub2-boot-info
            (lib.el_torito_set_load_size)(boot, 4);
            let rc = (lib.el_torito_set_isolinux_options)(boot, 1 | (1 << 9), 0);
            check_rc(lib, rc, "el_torito_set_isolinux_options", bios)?;
        }
        have_catalog = true;
    }
    let Some(efi) = &p.efi_boot else {
        return Ok(());
    };
    let efi_path = if p.isohybrid {
        // The FAT image is appended as partition 2 (see output.rs); El Torito points at it.
        "--interval:appended_partition_2:all::".to_string()
    } else {
        add_hidden_esp(lib, built, efi, plan)?
    };
    let c_efi = c_string(efi_path.as_bytes(), &efi_path)?;
    let mut boot: *mut ElToritoBootImage = ptr::null_mut();
    // SAFETY: as above.
    unsafe {
        let rc = if have_catalog {
            (lib.iso_image_add_boot_image)(
                image,
                c_efi.as_ptr(),
                ffi::ELTORITO_NO_EMUL,
                0,
                &mut boot,
            )
        } else {
            (lib.iso_image_set_boot_image)(
                image,
                c_efi.as_ptr(),
                ffi::ELTORITO_NO_EMUL,
                catalog.as_ptr(),
                &mut boot,
            )
        };
        check_rc(
            lib,
            rc,
            "iso_image_add_boot_image (EFI)",
            &efi.esp_image.display().to_string(),
        )?;
        let rc = (lib.el_torito_set_boot_platform_id)(boot, 0xef);
        check_rc(lib, rc, "el_torito_set_boot_platform_id", "")?;
        if !p.isohybrid {
            // Load the whole FAT image (counted in 512-byte sectors, at most 0xffff).
            let sectors = (plan.esp_size / 512).min(0xffff) as u16;
            (lib.el_torito_set_load_size)(boot, sectors as i16);
        }
    }
    Ok(())
}

/// Without partitions, the FAT image is a file in the ISO, hidden from every directory tree.
fn add_hidden_esp(
    lib: &Lib,
    built: &Built,
    efi: &super::EfiBoot,
    plan: &Plan,
) -> Result<String, IsoError> {
    let path = format!("/{HIDDEN_ESP}");
    let name = c_string(HIDDEN_ESP.as_bytes(), &path)?;
    let source = FileSource::Host(efi.esp_image.clone());
    // SAFETY: live image; the stream reference goes to the new file.
    unsafe {
        let root = (lib.iso_image_get_root)(built.image);
        let stream = stream::new_stream(
            &source,
            plan.esp_size,
            0,
            efi.esp_image.display().to_string(),
            &built.errors,
        )
        .ok_or_else(|| IsoError::Write {
            source: std::io::Error::from(std::io::ErrorKind::OutOfMemory),
        })?;
        let mut file: *mut IsoFile = ptr::null_mut();
        let rc = (lib.iso_image_add_new_file)(built.image, root, name.as_ptr(), stream, &mut file);
        check_rc(lib, rc, "iso_image_add_new_file", &path)?;
        (lib.iso_node_set_hidden)(
            file,
            ffi::LIBISO_HIDE_ON_RR
                | ffi::LIBISO_HIDE_ON_JOLIET
                | ffi::LIBISO_HIDE_ON_1999
                | ffi::LIBISO_HIDE_BUT_WRITE,
        );
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_digits_are_utc() {
        assert_eq!(&date_digits(1_700_000_000), b"2023111422132000");
        assert_eq!(&date_digits(1), b"1970010100000100");
    }
}
