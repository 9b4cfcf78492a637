//! The one bounds-checked cursor every binary parser reads through.

/// A cursor over untrusted bytes. Every read is checked; none can panic.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// The next `n` bytes, or `None` if fewer remain.
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        self.rest = tail;
        Some(head)
    }

    /// The next byte.
    pub(crate) fn u8(&mut self) -> Option<u8> {
        let (&first, tail) = self.rest.split_first()?;
        self.rest = tail;
        Some(first)
    }

    /// The next byte without consuming it.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// An unsigned LEB128 varint of at most 10 bytes that fits a `u64`.
    pub(crate) fn varint(&mut self) -> Result<u64, VarintError> {
        let mut value: u64 = 0;
        let mut shift: u32 = 0;
        for _ in 0..MAX_VARINT_LEN {
            let byte = self.u8().ok_or(VarintError::Truncated)?;
            let group = u64::from(byte & 0x7f);
            let shifted = group.checked_shl(shift).ok_or(VarintError::Malformed)?;
            if shifted.checked_shr(shift) != Some(group) {
                return Err(VarintError::Malformed);
            }
            value |= shifted;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift = shift.saturating_add(7);
        }
        Err(VarintError::Malformed)
    }

    /// True when every byte has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// Why a varint could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum VarintError {
    Truncated,
    Malformed,
}

const MAX_VARINT_LEN: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_reads_protobuf_examples() {
        assert_eq!(Reader::new(&[0x48]).varint(), Ok(72));
        assert_eq!(Reader::new(&[0xAC, 0x02]).varint(), Ok(300));
    }

    #[test]
    fn varint_rejects_overflow_and_overlong() {
        let overflow = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        assert_eq!(Reader::new(&overflow).varint(), Err(VarintError::Malformed));
        assert_eq!(
            Reader::new(&[0x80; 11]).varint(),
            Err(VarintError::Malformed)
        );
        assert_eq!(Reader::new(&[0x80]).varint(), Err(VarintError::Truncated));
    }

    #[test]
    fn take_past_end_is_none() {
        let mut r = Reader::new(b"ab");
        assert_eq!(r.take(3), None);
        assert_eq!(r.take(2), Some(&b"ab"[..]));
        assert!(r.is_empty());
    }
}
