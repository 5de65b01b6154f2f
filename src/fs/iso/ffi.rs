//! The part of libisofs' C API that ingot uses, declared here and resolved at run time from
//! `libisofs.so.6` (Debian package libisofs6). Nothing links against libisofs at build time, so
//! ingot builds and runs without it and only an ISO build asks for it.
//!
//! Declarations follow libisofs.h of libisofs 1.5.4 (ABI version 6).

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_short, c_uint, c_void};
use std::sync::OnceLock;

use libc::{dev_t, gid_t, ino_t, mode_t, off_t, time_t, uid_t};

/// Opaque libisofs objects.
#[repr(C)]
pub struct IsoImage {
    _p: [u8; 0],
}
#[repr(C)]
pub struct IsoNode {
    _p: [u8; 0],
}
#[repr(C)]
pub struct IsoWriteOpts {
    _p: [u8; 0],
}
#[repr(C)]
pub struct ElToritoBootImage {
    _p: [u8; 0],
}
/// Directories, files, symlinks and specials are IsoNodes in libisofs ("subclasses").
pub type IsoDir = IsoNode;
pub type IsoFile = IsoNode;

/// `struct iso_stream`: public so applications can supply their own file contents.
#[repr(C)]
pub struct IsoStream {
    pub class: *const IsoStreamIface,
    pub refcount: c_int,
    pub data: *mut c_void,
}

/// `struct IsoStream_Iface`, version 3 (open … cmp_ino).
#[repr(C)]
pub struct IsoStreamIface {
    pub version: c_int,
    pub type_: [c_char; 4],
    pub open: unsafe extern "C" fn(*mut IsoStream) -> c_int,
    pub close: unsafe extern "C" fn(*mut IsoStream) -> c_int,
    pub get_size: unsafe extern "C" fn(*mut IsoStream) -> off_t,
    pub read: unsafe extern "C" fn(*mut IsoStream, *mut c_void, usize) -> c_int,
    pub is_repeatable: unsafe extern "C" fn(*mut IsoStream) -> c_int,
    pub get_id: unsafe extern "C" fn(*mut IsoStream, *mut c_uint, *mut dev_t, *mut ino_t),
    pub free: unsafe extern "C" fn(*mut IsoStream),
    pub update_size: unsafe extern "C" fn(*mut IsoStream) -> c_int,
    pub get_input_stream: Option<unsafe extern "C" fn(*mut IsoStream, c_int) -> *mut IsoStream>,
    pub cmp_ino: Option<unsafe extern "C" fn(*mut IsoStream, *mut IsoStream) -> c_int>,
}

/// `struct burn_source` as libisofs hands it out (version 1: `read` is NULL, use `read_xt`).
#[repr(C)]
pub struct BurnSource {
    pub refcount: c_int,
    pub read: Option<unsafe extern "C" fn(*mut BurnSource, *mut u8, c_int) -> c_int>,
    pub read_sub: Option<unsafe extern "C" fn(*mut BurnSource, *mut u8, c_int) -> c_int>,
    pub get_size: Option<unsafe extern "C" fn(*mut BurnSource) -> off_t>,
    pub set_size: Option<unsafe extern "C" fn(*mut BurnSource, off_t) -> c_int>,
    pub free_data: Option<unsafe extern "C" fn(*mut BurnSource)>,
    pub next: *mut BurnSource,
    pub data: *mut c_void,
    pub version: c_int,
    pub read_xt: Option<unsafe extern "C" fn(*mut BurnSource, *mut u8, c_int) -> c_int>,
    pub cancel: Option<unsafe extern "C" fn(*mut BurnSource) -> c_int>,
}

pub const ISO_SUCCESS: c_int = 1;
pub const ISO_FILE_READ_ERROR: c_int = 0xE830FF79_u32 as c_int;
pub const ISO_MSGS_MESSAGE_LEN: usize = 4096;
pub const ELTORITO_NO_EMUL: c_int = 2;
pub const LIBISO_HIDE_ON_RR: c_int = 1;
pub const LIBISO_HIDE_ON_JOLIET: c_int = 2;
pub const LIBISO_HIDE_ON_1999: c_int = 4;
pub const LIBISO_HIDE_BUT_WRITE: c_int = 8;

/// The libisofs functions ingot calls, resolved from the shared library.
macro_rules! library {
    ($($name:ident : fn($($arg:ty),*) $(-> $ret:ty)?;)*) => {
        pub struct Lib {
            _lib: libloading::Library,
            $(pub $name: unsafe extern "C" fn($($arg),*) $(-> $ret)?,)*
        }

        impl Lib {
            fn load(path: &str) -> Result<Lib, String> {
                // SAFETY: loading libisofs runs no initialisers with preconditions; the
                // symbols are given the types libisofs.h declares for them.
                unsafe {
                    let lib = libloading::Library::new(path)
                        .map_err(|e| format!("cannot load {path}: {}", chain(&e)))?;
                    $(
                        let $name = *lib
                            .get::<unsafe extern "C" fn($($arg),*) $(-> $ret)?>(
                                concat!(stringify!($name), "\0").as_bytes(),
                            )
                            .map_err(|e| format!("{path} lacks {}: {e}", stringify!($name)))?;
                    )*
                    Ok(Lib { _lib: lib, $($name,)* })
                }
            }
        }
    };
}

library! {
    iso_init_with_flag: fn(c_int) -> c_int;
    iso_set_local_charset: fn(*mut c_char, c_int) -> c_int;
    iso_nowtime: fn(*mut time_t, c_int) -> c_int;
    iso_set_msgs_severities: fn(*mut c_char, *mut c_char, *mut c_char) -> c_int;
    iso_obtain_msgs: fn(*mut c_char, *mut c_int, *mut c_int, *mut c_char, *mut c_char) -> c_int;
    iso_error_to_msg: fn(c_int) -> *const c_char;

    iso_image_new: fn(*const c_char, *mut *mut IsoImage) -> c_int;
    iso_image_unref: fn(*mut IsoImage);
    iso_image_get_root: fn(*const IsoImage) -> *mut IsoDir;
    iso_image_set_volume_id: fn(*mut IsoImage, *const c_char);
    iso_image_set_volset_id: fn(*mut IsoImage, *const c_char);
    iso_image_set_application_id: fn(*mut IsoImage, *const c_char);
    iso_image_set_system_id: fn(*mut IsoImage, *const c_char);
    iso_image_add_new_dir: fn(*mut IsoImage, *mut IsoDir, *const c_char, *mut *mut IsoDir) -> c_int;
    iso_image_add_new_file: fn(*mut IsoImage, *mut IsoDir, *const c_char, *mut IsoStream, *mut *mut IsoFile) -> c_int;
    iso_image_add_new_symlink: fn(*mut IsoImage, *mut IsoDir, *const c_char, *const c_char, *mut *mut IsoNode) -> c_int;
    iso_image_add_new_special: fn(*mut IsoImage, *mut IsoDir, *const c_char, mode_t, dev_t, *mut *mut IsoNode) -> c_int;

    iso_node_set_permissions: fn(*mut IsoNode, mode_t);
    iso_node_set_uid: fn(*mut IsoNode, uid_t);
    iso_node_set_gid: fn(*mut IsoNode, gid_t);
    iso_node_set_mtime: fn(*mut IsoNode, time_t);
    iso_node_set_atime: fn(*mut IsoNode, time_t);
    iso_node_set_ctime: fn(*mut IsoNode, time_t);
    iso_node_set_hidden: fn(*mut IsoNode, c_int);
    iso_node_set_sort_weight: fn(*mut IsoNode, c_int);
    iso_file_get_stream: fn(*mut IsoFile) -> *mut IsoStream;
    iso_stream_ref: fn(*mut IsoStream);
    iso_node_zf_by_magic: fn(*mut IsoNode, c_int) -> c_int;
    iso_node_set_attrs: fn(*mut IsoNode, usize, *mut *mut c_char, *mut usize, *mut *mut c_char, c_int) -> c_int;
    iso_node_set_acl_text: fn(*mut IsoNode, *mut c_char, *mut c_char, c_int) -> c_int;

    iso_image_set_boot_image: fn(*mut IsoImage, *const c_char, c_int, *const c_char, *mut *mut ElToritoBootImage) -> c_int;
    iso_image_add_boot_image: fn(*mut IsoImage, *const c_char, c_int, c_int, *mut *mut ElToritoBootImage) -> c_int;
    el_torito_set_load_size: fn(*mut ElToritoBootImage, c_short);
    el_torito_set_isolinux_options: fn(*mut ElToritoBootImage, c_int, c_int) -> c_int;
    el_torito_set_boot_platform_id: fn(*mut ElToritoBootImage, u8) -> c_int;

    iso_write_opts_new: fn(*mut *mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_free: fn(*mut IsoWriteOpts);
    iso_write_opts_set_iso_level: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_rockridge: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_aaip: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_joliet: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_joliet_longer_paths: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_joliet_long_names: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_hardlinks: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_rrip_version_1_10: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_allow_deep_paths: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_allow_longer_paths: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_relaxed_vol_atts: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_always_gmt: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_dir_rec_mtime: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_replace_timestamps: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_default_timestamp: fn(*mut IsoWriteOpts, time_t) -> c_int;
    iso_write_opts_set_sort_files: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_pvd_times: fn(*mut IsoWriteOpts, time_t, time_t, time_t, time_t, *mut c_char) -> c_int;
    iso_write_opts_set_system_area: fn(*mut IsoWriteOpts, *mut c_char, c_int, c_int) -> c_int;
    iso_write_opts_set_part_offset: fn(*mut IsoWriteOpts, u32, c_int, c_int) -> c_int;
    iso_write_opts_set_partition_img: fn(*mut IsoWriteOpts, c_int, u8, *mut c_char, c_int) -> c_int;
    iso_write_opts_set_appended_as_gpt: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_iso_mbr_part_type: fn(*mut IsoWriteOpts, c_int) -> c_int;
    iso_write_opts_set_gpt_guid: fn(*mut IsoWriteOpts, *mut u8, c_int) -> c_int;
    iso_image_create_burn_source: fn(*mut IsoImage, *mut IsoWriteOpts, *mut *mut BurnSource) -> c_int;
}

/// An error and its sources ("dlopen failed: libisofs.so.6: cannot open shared object file").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The file name the dynamic loader looks for (ABI 6, all libisofs 1.x releases).
pub const SONAME: &str = "libisofs.so.6";

static LIB: OnceLock<Result<Lib, String>> = OnceLock::new();

/// libisofs, loaded and initialised once per process; the error says why it could not be.
pub fn lib() -> Result<&'static Lib, String> {
    LIB.get_or_init(|| {
        let lib = Lib::load(SONAME)?;
        // SAFETY: plain calls with valid arguments; bit0 keeps libisofs from reading the LC_*
        // environment, so the output does not depend on the user's locale.
        unsafe {
            let rc = (lib.iso_init_with_flag)(1);
            if rc < 0 {
                return Err(format!("iso_init failed with error {rc:#x}"));
            }
            // Names in the content tree are bytes, usually UTF-8: write them unconverted.
            (lib.iso_set_local_charset)(c"UTF-8".as_ptr().cast_mut(), 0);
            // Queue everything from SORRY up (read by `take_messages`), print nothing.
            (lib.iso_set_msgs_severities)(
                c"SORRY".as_ptr().cast_mut(),
                c"NEVER".as_ptr().cast_mut(),
                c"libisofs".as_ptr().cast_mut(),
            );
        }
        Ok(lib)
    })
    .as_ref()
    .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_library_is_an_error_not_a_crash() {
        let err = Lib::load("libisofs-ingot-test-missing.so.6").err().unwrap();
        assert!(err.contains("libisofs-ingot-test-missing.so.6"), "{err}");
        let shown = crate::fs::iso::IsoError::LibraryMissing { detail: err }.to_string();
        assert!(shown.starts_with("ISO images need libisofs: apt-get install libisofs6"));
    }
}
