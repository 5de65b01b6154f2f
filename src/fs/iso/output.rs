//! Write options (extensions, dates, isohybrid tables) and copying libisofs' output stream into
//! the file, leaving blocks of zeros as holes.

use std::ffi::{c_int, CString};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::ptr;

use crate::context::Progress;

use super::ffi::{BurnSource, IsoWriteOpts, Lib};
use super::image::{check_rc, take_messages, Built, Plan};
use super::{IsoError, IsoParams};

/// Options of `iso_write_opts_set_system_area` (libisofs.h): bit0 protective MBR partition,
/// bits 8-9 = 2 no cylinder alignment, bit14 GRUB2 boot provisions (patch the MBR code with
/// the BIOS boot image's address), bit15 an MBR entry marked active (some BIOSes boot only
/// such disks: xorriso's --mbr-force-bootable).
const SYSTEM_AREA_GRUB2: c_int = 1 | (2 << 8) | (1 << 14) | (1 << 15);
const SYSTEM_AREA_PLAIN: c_int = 1 | (2 << 8);
/// ISO partition offset in 2 KiB blocks (xorriso -partition_offset 16): partition 1 starts
/// at 32 KiB and is mountable by itself.
const PARTITION_OFFSET: u32 = 16;

struct Opts<'l> {
    lib: &'l Lib,
    ptr: *mut IsoWriteOpts,
}

impl Drop for Opts<'_> {
    fn drop(&mut self) {
        // SAFETY: created by iso_write_opts_new, freed once.
        unsafe { (self.lib.iso_write_opts_free)(self.ptr) }
    }
}

fn write_options<'l>(lib: &'l Lib, p: &IsoParams, plan: &Plan) -> Result<Opts<'l>, IsoError> {
    let mut ptr: *mut IsoWriteOpts = ptr::null_mut();
    // SAFETY: out pointer to a local.
    let rc = unsafe { (lib.iso_write_opts_new)(&mut ptr, 0) };
    check_rc(lib, rc, "iso_write_opts_new", "")?;
    let opts = Opts { lib, ptr };
    let o = opts.ptr;
    let t = p.timestamp as libc::time_t;
    let mut uuid = plan.vol_uuid.to_vec();
    uuid.push(0);
    // SAFETY: o is live; every call copies what it is given.
    unsafe {
        let calls: [(&'static str, c_int); 16] = [
            // Level 3: files of 4 GiB and more (multi-extent).
            ("iso_level", (lib.iso_write_opts_set_iso_level)(o, 3)),
            ("rockridge", (lib.iso_write_opts_set_rockridge)(o, 1)),
            ("joliet", (lib.iso_write_opts_set_joliet)(o, 1)),
            (
                "joliet_longer_paths",
                (lib.iso_write_opts_set_joliet_longer_paths)(o, 1),
            ),
            (
                "joliet_long_names",
                (lib.iso_write_opts_set_joliet_long_names)(o, 1),
            ),
            // Hard links share their data and show their link count.
            ("hardlinks", (lib.iso_write_opts_set_hardlinks)(o, 1)),
            // RRIP 1.10: PX entries without inode numbers. libisofs numbers directories,
            // symlinks and devices in the order of their memory addresses, so the numbers
            // changed from one image to the next in a process; Linux does not read them (its
            // isofs inode numbers come from the directory record positions).
            (
                "rrip_version_1_10",
                (lib.iso_write_opts_set_rrip_version_1_10)(o, 1),
            ),
            // Deep trees stay where they are (no rr_moved relocation; Linux reads them).
            (
                "allow_deep_paths",
                (lib.iso_write_opts_set_allow_deep_paths)(o, 1),
            ),
            (
                "allow_longer_paths",
                (lib.iso_write_opts_set_allow_longer_paths)(o, 1),
            ),
            // The volume id as given (xorriso keeps "GUIX-IMAGE"; strict ECMA-119 would make
            // it GUIX_IMAGE in the primary descriptor while Joliet, which blkid reads, keeps
            // the dash).
            (
                "relaxed_vol_atts",
                (lib.iso_write_opts_set_relaxed_vol_atts)(o, 1),
            ),
            // Dates in UTC: files carry the tree's times (already clamped to
            // SOURCE_DATE_EPOCH), in every directory record; what libisofs makes itself (the
            // boot catalog, volume dates) is `timestamp`.
            ("always_gmt", (lib.iso_write_opts_set_always_gmt)(o, 1)),
            (
                "dir_rec_mtime",
                (lib.iso_write_opts_set_dir_rec_mtime)(o, 7),
            ),
            (
                "replace_timestamps",
                (lib.iso_write_opts_set_replace_timestamps)(o, 0),
            ),
            (
                "default_timestamp",
                (lib.iso_write_opts_set_default_timestamp)(o, t),
            ),
            ("sort_files", (lib.iso_write_opts_set_sort_files)(o, 1)),
            (
                "pvd_times",
                (lib.iso_write_opts_set_pvd_times)(o, t, t, 0, 0, uuid.as_mut_ptr().cast()),
            ),
        ];
        for (call, rc) in calls {
            check_rc(lib, rc, call, "")?;
        }
        if plan.aaip {
            // xorriso's -xattr on -acl on: only when there is something to keep, so images
            // of trees without xattrs stay as they were.
            check_rc(lib, (lib.iso_write_opts_set_aaip)(o, 1), "aaip", "")?;
        }
        if p.isohybrid {
            hybrid_options(lib, o, p, plan)?;
        }
    }
    Ok(opts)
}

/// MBR + GPT: xorriso's `--grub2-mbr boot_hybrid.img -partition_offset 16 --mbr-force-bootable
/// -append_partition 2 0xef ESP -appended_part_as_gpt -iso_mbr_part_type 0x83`.
///
/// # Safety
/// `o` must be live.
unsafe fn hybrid_options(
    lib: &Lib,
    o: *mut IsoWriteOpts,
    p: &IsoParams,
    plan: &Plan,
) -> Result<(), IsoError> {
    let mut zeros;
    let (area, options) = match &plan.system_area {
        Some(area) => (area.as_ptr().cast_mut(), SYSTEM_AREA_GRUB2),
        None => {
            zeros = vec![0u8; 32768];
            (zeros.as_mut_ptr(), SYSTEM_AREA_PLAIN)
        }
    };
    check_rc(
        lib,
        (lib.iso_write_opts_set_system_area)(o, area.cast(), options, 0),
        "set_system_area",
        "",
    )?;
    check_rc(
        lib,
        (lib.iso_write_opts_set_part_offset)(o, PARTITION_OFFSET, 0, 0),
        "set_part_offset",
        "",
    )?;
    check_rc(
        lib,
        (lib.iso_write_opts_set_iso_mbr_part_type)(o, 0x83),
        "set_iso_mbr_part_type",
        "",
    )?;
    // The GPT disk GUID (and from it the partition GUIDs) derives from the volume UUID.
    let mut guid = [0u8; 16];
    check_rc(
        lib,
        (lib.iso_write_opts_set_gpt_guid)(o, guid.as_mut_ptr(), 2),
        "set_gpt_guid",
        "",
    )?;
    if let Some(efi) = &p.efi_boot {
        let path = CString::new(efi.esp_image.as_os_str().as_encoded_bytes()).map_err(|_| {
            IsoError::Parameter {
                what: "efi_boot.esp_image",
                reason: "the path contains a NUL byte".into(),
            }
        })?;
        let rc = (lib.iso_write_opts_set_partition_img)(o, 2, 0xef, path.as_ptr().cast_mut(), 0);
        check_rc(
            lib,
            rc,
            "set_partition_img",
            &efi.esp_image.display().to_string(),
        )?;
        check_rc(
            lib,
            (lib.iso_write_opts_set_appended_as_gpt)(o, 1),
            "set_appended_as_gpt",
            "",
        )?;
    }
    Ok(())
}

struct Source {
    ptr: *mut BurnSource,
}

impl Drop for Source {
    fn drop(&mut self) {
        // SAFETY: libisofs' burn source: free_data stops and joins its writer thread; the
        // struct itself was malloc'ed by libisofs (as libisofs' own demo frees it).
        unsafe {
            if let Some(free_data) = (*self.ptr).free_data {
                free_data(self.ptr);
            }
            libc::free(self.ptr.cast());
        }
    }
}

/// Generates the image and copies it into `out`.
pub fn write(
    lib: &Lib,
    built: &Built,
    p: &IsoParams,
    plan: &Plan,
    out: &File,
    progress: &dyn Progress,
) -> Result<(), IsoError> {
    let opts = write_options(lib, p, plan)?;
    let mut src: *mut BurnSource = ptr::null_mut();
    // SAFETY: live image and options; libisofs copies the options.
    let rc = unsafe { (lib.iso_image_create_burn_source)(built.image, opts.ptr, &mut src) };
    check_rc(lib, rc, "iso_image_create_burn_source", "")
        .map_err(|e| built.read_error().unwrap_or(e))?;
    drop(opts);
    let source = Source { ptr: src };
    let written = copy_sparse(&source, out, progress);
    drop(source);
    if let Some((path, error)) = built
        .errors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        return Err(IsoError::Read {
            path,
            source: error,
        });
    }
    let total = match written {
        Ok(total) => total,
        Err(CopyError::Write(source)) => return Err(IsoError::Write { source }),
        Err(CopyError::Generator) => {
            return Err(IsoError::Library {
                call: "image generation",
                context: String::new(),
                message: take_messages(lib).join("; "),
            })
        }
    };
    out.set_len(total)
        .map_err(|source| IsoError::Write { source })?;
    // Nothing went wrong; drop the queued notes so the queue does not grow build after build.
    take_messages(lib);
    Ok(())
}

enum CopyError {
    Write(std::io::Error),
    Generator,
}

/// Reads the image 64 KiB at a time and writes only 2 KiB blocks that are not all zeros.
fn copy_sparse(source: &Source, out: &File, progress: &dyn Progress) -> Result<u64, CopyError> {
    const BLOCK: usize = 2048;
    const CHUNK: usize = 32 * BLOCK;
    out.set_len(0).map_err(CopyError::Write)?;
    let mut buf = vec![0u8; CHUNK];
    let mut offset: u64 = 0;
    // SAFETY: libisofs' burn source is version 1: read_xt instead of read.
    let (read, get_size) = unsafe {
        (
            (*source.ptr).read_xt.or((*source.ptr).read),
            (*source.ptr).get_size,
        )
    };
    let (Some(read), Some(get_size)) = (read, get_size) else {
        return Err(CopyError::Generator);
    };
    // SAFETY: a live burn source.
    let total = unsafe { get_size(source.ptr) } as u64;
    progress.add_total(total);
    loop {
        // libisofs' ring buffer answers EOF rather than a short final read: ask for exactly
        // what is left.
        let want = (total - offset).min(CHUNK as u64) as usize;
        if want == 0 {
            return Ok(offset);
        }
        // SAFETY: buf has CHUNK bytes.
        let n = unsafe { read(source.ptr, buf.as_mut_ptr(), want as c_int) };
        if n < 0 || (n as usize) < want {
            return Err(CopyError::Generator);
        }
        // Zero blocks are left as holes.
        crate::fileio::write_nonzero_runs(&buf[..n as usize], BLOCK, |run, at| {
            out.write_all_at(run, offset + at)
        })
        .map_err(CopyError::Write)?;
        offset += n as u64;
        progress.advance(n as u64);
    }
}
