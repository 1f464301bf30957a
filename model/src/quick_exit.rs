/// Counts presses of the Shift key for quick exit: three presses, each within
/// [`ShiftCounter::WINDOW_MS`] of the first, mean "leave now" (the GOV.UK
/// "Exit this page" pattern). Times are milliseconds from any fixed point.
///
/// ```
/// use feedback_model::{ShiftCounter, ShiftPress};
/// let mut c = ShiftCounter::default();
/// assert_eq!(c.press(0.0), ShiftPress::Counted { left: 2 });
/// assert_eq!(c.press(400.0), ShiftPress::Counted { left: 1 });
/// assert_eq!(c.press(900.0), ShiftPress::Exit);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShiftCounter {
    first_at: Option<f64>,
    count: u8,
}

/// What one press of Shift means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftPress {
    /// Counted: this many more presses will exit.
    Counted { left: u8 },
    /// The third press: exit now.
    Exit,
}

impl ShiftCounter {
    /// How long, from the first press, the three presses may take.
    pub const WINDOW_MS: f64 = 5000.0;
    const PRESSES: u8 = 3;

    /// Records a press of Shift at time `now`.
    pub fn press(&mut self, now: f64) -> ShiftPress {
        match self.first_at {
            Some(t) if now - t <= Self::WINDOW_MS && now >= t => self.count += 1,
            _ => {
                self.first_at = Some(now);
                self.count = 1;
            }
        }
        if self.count >= Self::PRESSES {
            *self = ShiftCounter::default();
            ShiftPress::Exit
        } else {
            ShiftPress::Counted { left: Self::PRESSES - self.count }
        }
    }

    /// Any other key starts the count again, so typing a capital letter now and then
    /// never adds up to an exit.
    pub fn other_key(&mut self) {
        *self = ShiftCounter::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_too_far_apart_start_again() {
        let mut c = ShiftCounter::default();
        c.press(0.0);
        c.press(3000.0);
        assert_eq!(c.press(5001.0), ShiftPress::Counted { left: 2 }, "the first press is more than 5 s ago");
        assert_eq!(c.press(5100.0), ShiftPress::Counted { left: 1 });
        assert_eq!(c.press(5200.0), ShiftPress::Exit);
        assert_eq!(c.press(5300.0), ShiftPress::Counted { left: 2 }, "starts afresh after an exit");
    }

    #[test]
    fn other_keys_in_between_start_again() {
        let mut c = ShiftCounter::default();
        c.press(0.0);
        c.press(10.0);
        c.other_key();
        assert_eq!(c.press(20.0), ShiftPress::Counted { left: 2 });
    }

    #[test]
    fn a_clock_that_goes_backwards_does_not_exit() {
        let mut c = ShiftCounter::default();
        c.press(1000.0);
        c.press(1100.0);
        assert_eq!(c.press(500.0), ShiftPress::Counted { left: 2 });
    }
}
