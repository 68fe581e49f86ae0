//! `Letters`: the choice letters a member picks or a question's answer key holds.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The most choices a question may have (A to F).
pub const MAX_CHOICES: usize = 6;

/// A non-empty set of choice letters, `A` to `F`, kept in letter order.
///
/// Built only through [`Letters::parse`] (or [`Letters::from_indices`]), so an
/// instance always names at least one letter and never repeats one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Letters(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LettersError {
    #[error("no letter given")]
    Empty,
    #[error("`{0}` is not a choice letter (A to F)")]
    NotALetter(char),
    #[error("the letter {0} is given twice")]
    Repeated(char),
}

impl Letters {
    /// Reads letters as a member types them: `B`, `ac`, `A,C`, `A C`.
    pub fn parse(text: &str) -> Result<Self, LettersError> {
        let mut bits = 0u8;
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != ',') {
            let upper = c.to_ascii_uppercase();
            let index = match upper {
                'A'..='F' => upper as u8 - b'A',
                _ => return Err(LettersError::NotALetter(c)),
            };
            if bits & (1 << index) != 0 {
                return Err(LettersError::Repeated(upper));
            }
            bits |= 1 << index;
        }
        if bits == 0 {
            return Err(LettersError::Empty);
        }
        Ok(Self(bits))
    }

    /// The letters at these zero-based choice positions; `None` if empty or out of range.
    pub fn from_indices(indices: impl IntoIterator<Item = usize>) -> Option<Self> {
        let mut bits = 0u8;
        for i in indices {
            if i >= MAX_CHOICES {
                return None;
            }
            bits |= 1 << i;
        }
        (bits != 0).then_some(Self(bits))
    }

    /// The single letter at this zero-based position.
    pub fn single(index: usize) -> Option<Self> {
        Self::from_indices([index])
    }

    pub fn indices(self) -> impl Iterator<Item = usize> {
        (0..MAX_CHOICES).filter(move |i| self.0 & (1 << i) != 0)
    }

    pub fn contains(self, index: usize) -> bool {
        index < MAX_CHOICES && self.0 & (1 << index) != 0
    }

    pub fn count(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The highest zero-based position named, to check against a question's choices.
    pub fn highest(self) -> usize {
        7 - self.0.leading_zeros() as usize
    }

    /// The letter for a zero-based choice position.
    pub fn letter(index: usize) -> char {
        (b'A' + index as u8) as char
    }
}

impl fmt::Display for Letters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.indices()
            .try_for_each(|i| write!(f, "{}", Self::letter(i)))
    }
}

impl fmt::Debug for Letters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Letters({self})")
    }
}

impl TryFrom<String> for Letters {
    type Error = LettersError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Letters> for String {
    fn from(value: Letters) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_read_in_any_case_and_order_with_separators() {
        assert_eq!(Letters::parse("ca").unwrap().to_string(), "AC");
        assert_eq!(Letters::parse(" a, C ").unwrap().to_string(), "AC");
        assert_eq!(Letters::parse("b").unwrap().count(), 1);
    }

    #[test]
    fn letters_refuse_empty_unknown_and_repeated_input() {
        assert_eq!(Letters::parse(" "), Err(LettersError::Empty));
        assert_eq!(Letters::parse("AG"), Err(LettersError::NotALetter('G')));
        assert_eq!(Letters::parse("1"), Err(LettersError::NotALetter('1')));
        assert_eq!(Letters::parse("aA"), Err(LettersError::Repeated('A')));
    }

    #[test]
    fn the_highest_letter_is_the_last_position_named() {
        assert_eq!(Letters::parse("B").unwrap().highest(), 1);
        assert_eq!(Letters::parse("AE").unwrap().highest(), 4);
    }
}
