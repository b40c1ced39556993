// Declarations of every function libletts.so.0 exports, in header order.
// Written by gen_decls.py from include/letts/*.h; tests/symbols.rs checks
// the names against tests/abi/exported-symbols.txt.

/// Opaque C handle `letts_fixture` (see the C headers).
#[repr(C)]
pub struct letts_fixture { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }

/// C callback type `letts_fixture_clock_fn`.
pub type letts_fixture_clock_fn = Option<unsafe extern "C" fn(data: *mut c_void) -> i64>;
/// C callback type `letts_fixture_release_fn`.
pub type letts_fixture_release_fn = Option<unsafe extern "C" fn(free_fn: Option<unsafe extern "C" fn(*mut c_void)>, data: *mut c_void)>;

extern "C" {
    pub fn letts_fixture_each(fixture: *mut letts_fixture, visit: Option<unsafe extern "C" fn(name: *const c_char, len: usize, user_data: *mut c_void) -> c_int>, user_data: *mut c_void) -> letts_status;
    pub fn letts_fixture_set_clock(fixture: *mut letts_fixture, clock: Option<unsafe extern "C" fn(*mut c_void) -> i64>, data: *mut c_void);
    pub fn letts_fixture_set_typed_clock(fixture: *mut letts_fixture, clock: letts_fixture_clock_fn, data: *mut c_void);
    pub fn letts_fixture_on_done(fixture: *mut letts_fixture, done: Option<unsafe extern "C" fn(fixture: *const letts_fixture, next: letts_fixture_clock_fn)>, user_data: *mut c_void);
}
