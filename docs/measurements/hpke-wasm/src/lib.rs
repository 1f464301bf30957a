// What a Rust HPKE seal (the collector's suite) would add to the app's WebAssembly: one exported function
// sealing `len` bytes at `pt` for the 65-byte public key at `pk`, with a fixed-seed RNG standing in for the
// browser's random numbers (which the app would have to bind too).
use hpke::{aead::AesGcm128, kdf::HkdfSha256, kem::DhP256HkdfSha256, Deserializable, Kem, OpModeS, Serializable};

struct Rng(u64);
impl rand_core::TryRng for Rng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(self.try_next_u64()? as u32) }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> { self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1); Ok(self.0) }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> { for b in dst { *b = self.try_next_u64()? as u8; } Ok(()) }
}
impl rand_core::TryCryptoRng for Rng {}

#[no_mangle]
pub extern "C" fn seal(pk: *const u8, pt: *const u8, len: usize, out: *mut u8) -> usize {
    let pk = unsafe { core::slice::from_raw_parts(pk, 65) };
    let pt = unsafe { core::slice::from_raw_parts(pt, len) };
    let Ok(pk) = <DhP256HkdfSha256 as Kem>::PublicKey::from_bytes(pk) else { return 0 };
    let mut rng = Rng(len as u64);
    let Ok((enc, ct)) = hpke::single_shot_seal_with_rng::<AesGcm128, HkdfSha256, DhP256HkdfSha256>(&OpModeS::Base, &pk, b"feedback-form submission v1", pt, b"aad", &mut rng) else { return 0 };
    let enc = enc.to_bytes();
    let all: Vec<u8> = enc.iter().copied().chain(ct).collect();
    unsafe { core::ptr::copy_nonoverlapping(all.as_ptr(), out, all.len()) };
    all.len()
}
