// SPDX-License-Identifier: GPL-2.0

//! Read-only module parameters.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h).
//!
//! Linux 6.12's `module!` macro has no parameter support, so this module provides the
//! equivalent of C's `module_param(name, uint, 0444)` + `MODULE_PARM_DESC`: a value the loader
//! sets from `insmod mod.ko name=value` before the module's `init` runs, visible afterwards in
//! `/sys/module/<mod>/parameters/<name>`. Parameters are read-only after load, so reading them
//! needs no locking.
//!
//! ```ignore
//! kernel::module_param!(NUMDEVS, numdevs, u32, 1, "Number of devices to create");
//! let n = NUMDEVS.get();
//! ```

use crate::bindings;
use core::cell::UnsafeCell;

/// Types usable as module parameters. The `module_param!` macro maps each to its C
/// `kernel_param_ops` (`param_ops_uint`, `param_ops_bool`).
pub trait ParamType: Copy + 'static {}

impl ParamType for u32 {}
impl ParamType for bool {}

/// Storage of one read-only module parameter.
///
/// The loader writes it while parsing the module's arguments, before `init`; afterwards it only
/// changes if someone writes the sysfs file, which the 0444 permission forbids.
#[repr(transparent)]
pub struct ModuleParam<T: ParamType>(UnsafeCell<T>);

// SAFETY: The value is only written by the module loader before any Rust code of the module
// runs; from then on it is only read.
unsafe impl<T: ParamType> Sync for ModuleParam<T> {}

impl<T: ParamType> ModuleParam<T> {
    /// Creates the storage with its default value.
    pub const fn new(default: T) -> Self {
        Self(UnsafeCell::new(default))
    }

    /// The value given at load time (or the default).
    pub fn get(&self) -> T {
        // SAFETY: See the `Sync` impl: no writer exists once module code runs.
        unsafe { *self.0.get() }
    }

    /// Pointer handed to the C parser as `kernel_param::arg`.
    #[doc(hidden)]
    pub const fn as_arg(&self) -> *mut core::ffi::c_void {
        self.0.get().cast()
    }
}

/// A `struct kernel_param` placed in the `__param` section, where the module loader finds it.
#[doc(hidden)]
#[repr(transparent)]
pub struct KernelParam(pub bindings::kernel_param);

// SAFETY: The structure is immutable after load and only read by the module loader and sysfs.
unsafe impl Sync for KernelParam {}

/// Copies a string into a fixed-size byte array at compile time (for `.modinfo` entries).
#[doc(hidden)]
pub const fn modinfo_bytes<const N: usize>(s: &str) -> [u8; N] {
    let bytes = s.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N && i < bytes.len() {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// Declares a read-only (0444) module parameter.
///
/// `module_param!(STATIC, name, type, default, "description")` defines `STATIC`, a
/// [`ModuleParam`] whose value `insmod m.ko name=value` sets; see the [module documentation].
///
/// [module documentation]: crate::module_param
#[macro_export]
macro_rules! module_param {
    (@cname u32) => {
        "uint"
    };
    (@cname bool) => {
        "bool"
    };
    (@ops u32) => {
        $crate::bindings::param_ops_uint
    };
    (@ops bool) => {
        $crate::bindings::param_ops_bool
    };
    ($storage:ident, $name:ident, $ty:tt, $default:expr, $desc:literal) => {
        static $storage: $crate::module_param::ModuleParam<$ty> =
            $crate::module_param::ModuleParam::new($default);

        const _: () = {
            const NAME: &str = concat!(stringify!($name), "\0");
            const TYPE: &str = concat!(
                "parmtype=",
                stringify!($name),
                ":",
        $crate::module_param!(@cname $ty),
                "\0"
            );
            const DESC: &str = concat!("parm=", stringify!($name), ":", $desc, "\0");

            #[link_section = ".modinfo"]
            #[used(compiler)]
            static PARMTYPE: [u8; TYPE.len()] = $crate::module_param::modinfo_bytes(TYPE);
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static PARM: [u8; DESC.len()] = $crate::module_param::modinfo_bytes(DESC);

            #[link_section = "__param"]
            #[used(compiler)]
            static PARAM: $crate::module_param::KernelParam =
                $crate::module_param::KernelParam($crate::bindings::kernel_param {
                    name: NAME.as_ptr().cast(),
                    mod_: {
                        extern "C" {
                            static __this_module: $crate::types::Opaque<$crate::bindings::module>;
                        }
                        // SAFETY: Only the address of the module's own `__this_module` is taken.
                        unsafe { __this_module.get() }
                    },
                    // SAFETY: Only the address of the extern static is taken.
            ops: unsafe { ::core::ptr::addr_of!($crate::module_param!(@ops $ty)) },
                    perm: 0o444,
                    level: -1,
                    flags: 0,
                    __bindgen_anon_1: $crate::bindings::kernel_param__bindgen_ty_1 {
                        arg: $storage.as_arg(),
                    },
                });
        };
    };
}
