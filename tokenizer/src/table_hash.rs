//! The hash of the rank tables, shared by the build script (which lays the tables out) and the
//! library (which probes them): both must compute exactly the same value.

/// A multiply-rotate hash over 8-byte words (the shape of FxHash); the length is mixed in first
/// so that a prefix padded with zeros differs from the longer token.
#[inline]
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(last)).wrapping_mul(K);
    }
    h ^ (h >> 32)
}

/// The first slot to probe in a table of `1 << bits` slots.
#[inline]
pub fn slot(hash: u64, bits: u32) -> usize {
    (hash.wrapping_mul(0xd6e8_feb8_6659_fd93) >> (64 - bits)) as usize
}
