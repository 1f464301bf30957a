//! The person's phase through the form: answering, checking, sending, sent, or
//! just cleared. One value rather than separate flags, so that every step the
//! app takes is one of the transitions below, each tested here without a browser.
//!
//! Two bugs came from the flags this replaces: a double tap on Send sent a second,
//! empty submission, and after Back from the confirmation Send did nothing. Here
//! Send is only possible while [`Phase::Checking`], and arriving anywhere but the
//! confirmation leaves [`Phase::Sent`].
//!
//! ```
//! use feedback_model::{Phase, Route};
//! let phase = Phase::default().start_now(); // answering the first page
//! let phase = phase.arrive(&Route::Check); // Continue after the last page
//! let phase = phase.change(vec![0, 2, 3]).arrive(&Route::Page("your-support".into())); // a Change link
//! assert_eq!(phase.changed_from(), Some(&[0, 2, 3][..]));
//! let phase = phase.arrive(&Route::Check); // Continue: back to Check your answers
//! assert!(phase.may_send());
//! let phase = phase.send(); // saving to the outbox
//! assert!(!phase.may_send()); // a second tap does nothing
//! let phase = phase.sent("id-1".into(), true);
//! assert_eq!(phase.sent_id(), Some("id-1"));
//! let phase = phase.arrive(&Route::Page("anything-else".into())); // Back from the confirmation
//! assert_eq!(phase, Phase::Answering); // a new set of answers
//! assert!(phase.arrive(&Route::Check).may_send());
//! ```

use crate::Route;

/// Where the person is in giving, checking and sending one set of answers.
/// The route (which page is shown) lives in the address; this is what the route
/// alone cannot tell.
///
/// Transitions take the phase and return the next one; a step that makes no
/// sense in the present phase returns it unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Giving answers: the start page and the question pages.
    Answering,
    /// Changing an answer, after a Change link on Check your answers. `shown`: the
    /// pages shown then, so that Continue goes through any pages the change newly
    /// reveals and then back to Check your answers ([`crate::Form::continue_to`]).
    Changing { shown: Vec<usize> },
    /// On Check your answers, where Send is.
    Checking,
    /// Send was pressed: the submission is being saved on this device (a few
    /// milliseconds). Another Send does nothing, and the answers stay as they are
    /// until it is saved.
    Sending,
    /// Sent: submission `id` is in the outbox, which delivers it (`saved`), or,
    /// when this device could not store it, is held in this page's memory only
    /// (`saved: false`). The confirmation page follows it; this phase lasts as
    /// long as the confirmation is shown.
    Sent { id: String, saved: bool },
    /// The person removed their answers with "Clear my answers": the start page
    /// says so until they move on.
    Cleared,
}

impl Default for Phase {
    /// A new set of answers: the phase when the app opens.
    fn default() -> Phase {
        Phase::Answering
    }
}

impl Phase {
    /// "Start now" on the start page: answering from the first page (no longer
    /// changing an answer from Check your answers, nor just cleared).
    #[must_use]
    pub fn start_now(self) -> Phase {
        match self {
            // The answers are on their way into the outbox; saving ends the phase.
            Phase::Sending => Phase::Sending,
            _ => Phase::default(),
        }
    }

    /// A Change link on Check your answers, where the journey shows the pages
    /// `shown`: back to a question page to change an answer, after which Continue
    /// returns to Check your answers (through any pages the change reveals).
    #[must_use]
    pub fn change(self, shown: Vec<usize>) -> Phase {
        match self {
            Phase::Sending | Phase::Sent { .. } => self,
            _ => Phase::Changing { shown },
        }
    }

    /// The address now shows `route` (by a link, Continue, Back, Forward, or a
    /// typed address). Reaching Check your answers (by Continue from the last page
    /// or from a change, or any other way) makes Send possible; leaving the
    /// confirmation, by any route, starts a new set of answers that Send accepts;
    /// moving on from the start page after clearing ends the "cleared" message;
    /// going from Check your answers to a page other than by a Change link is
    /// answering as usual.
    #[must_use]
    pub fn arrive(self, route: &Route) -> Phase {
        match (self, route) {
            // The save finishes in a moment and moves on to Sent (and the confirmation).
            (Phase::Sending, _) => Phase::Sending,
            // The facilitator's screen is no step of the person's journey.
            (same, Route::Facilitator) => same,
            (sent @ Phase::Sent { .. }, Route::Sent) => sent,
            (_, Route::Check) => Phase::Checking,
            (Phase::Cleared, Route::Start | Route::Sent) => Phase::Cleared,
            (answering @ (Phase::Answering | Phase::Changing { .. }), _) => answering,
            // Left the confirmation, or Check your answers, or moved on after clearing.
            (Phase::Sent { .. } | Phase::Checking | Phase::Cleared, _) => Phase::default(),
        }
    }

    /// Send pressed on Check your answers: the answers are being saved. Only from
    /// [`Phase::Checking`]; anywhere else (a second tap while saving, or a tap
    /// after) it does nothing: check [`Phase::may_send`] first.
    #[must_use]
    pub fn send(self) -> Phase {
        match self {
            Phase::Checking => Phase::Sending,
            other => other,
        }
    }

    /// Send could not get the answers ready to keep (they could not be encrypted for the deployment's key,
    /// and nothing may be kept in plain text): back on Check your answers, the answers as they were, so
    /// Send can be pressed again.
    ///
    /// ```
    /// use feedback_model::Phase;
    /// assert_eq!(Phase::Checking.send().not_sent(), Phase::Checking);
    /// assert_eq!(Phase::Answering.not_sent(), Phase::Answering);
    /// ```
    #[must_use]
    pub fn not_sent(self) -> Phase {
        match self {
            Phase::Sending => Phase::Checking,
            other => other,
        }
    }

    /// Send's saving finished: submission `id` is in the outbox (`saved`), or
    /// held in this page's memory because the device could not store it.
    #[must_use]
    pub fn sent(self, id: String, saved: bool) -> Phase {
        match self {
            Phase::Sending => Phase::Sent { id, saved },
            other => other,
        }
    }

    /// "Clear my answers": the answers are gone, and the start page says so.
    #[must_use]
    pub fn clear(self) -> Phase {
        match self {
            // Already copied into the submission being saved: it goes on.
            Phase::Sending => Phase::Sending,
            _ => Phase::Cleared,
        }
    }

    /// Quick exit ("Exit this page"): the answers are gone and the page is left,
    /// with nothing on it that says the form was used.
    #[must_use]
    pub fn exit(self) -> Phase {
        Phase::default()
    }

    /// Whether Send may start now: on Check your answers, and not already sending.
    pub fn may_send(&self) -> bool {
        matches!(self, Phase::Checking)
    }

    /// While changing an answer from Check your answers: the pages shown when
    /// the Change link was followed (for [`crate::Form::continue_to`]).
    pub fn changed_from(&self) -> Option<&[usize]> {
        match self {
            Phase::Changing { shown } => Some(shown),
            _ => None,
        }
    }

    /// The submission just sent, while the confirmation is shown.
    pub fn sent_id(&self) -> Option<&str> {
        match self {
            Phase::Sent { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The submission just sent could not be saved on this device and is held
    /// in this page's memory only.
    pub fn not_saved(&self) -> bool {
        matches!(self, Phase::Sent { saved: false, .. })
    }

    /// The answers were just cleared with "Clear my answers".
    pub fn cleared(&self) -> bool {
        matches!(self, Phase::Cleared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWERING: Phase = Phase::Answering;

    fn changing() -> Phase {
        Phase::Changing { shown: vec![0, 2, 3, 4, 5] }
    }

    fn sent() -> Phase {
        Phase::Sent { id: "id-1".into(), saved: true }
    }

    fn form() -> crate::Form {
        crate::Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap()
    }

    fn page() -> Route {
        Route::Page("anything-else".into())
    }

    /// Every phase, for steps that must hold from anywhere.
    fn every_phase() -> Vec<Phase> {
        vec![
            ANSWERING,
            changing(),
            Phase::Checking,
            Phase::Sending,
            sent(),
            Phase::Sent { id: "x".into(), saved: false },
            Phase::Cleared,
        ]
    }

    fn every_route() -> Vec<Route> {
        vec![Route::Start, page(), Route::Check, Route::Sent]
    }

    #[test]
    fn the_app_opens_answering() {
        assert_eq!(Phase::default(), ANSWERING);
        assert!(!Phase::default().may_send());
        assert_eq!(Phase::default().changed_from(), None);
        assert!(!Phase::default().cleared());
        assert_eq!(Phase::default().sent_id(), None);
    }

    #[test]
    fn start_now_begins_a_new_set_of_answers_from_any_phase_but_sending() {
        for phase in every_phase() {
            let expected = if phase == Phase::Sending { Phase::Sending } else { ANSWERING };
            assert_eq!(phase.clone().start_now(), expected, "from {phase:?}");
        }
    }

    #[test]
    fn a_change_link_goes_to_a_page_with_continue_returning_to_check() {
        let phase = Phase::Checking.change(vec![0, 2, 3, 4, 5]);
        assert_eq!(phase, changing());
        assert_eq!(phase.changed_from(), Some(&[0, 2, 3, 4, 5][..]));
        // The link's page is shown: still changing, also through newly revealed pages.
        let phase = phase.arrive(&page()).arrive(&Route::Page("how-well".into()));
        assert_eq!(phase, changing());
        // Continue reaches Check your answers: no longer changing, and Send is possible.
        let phase = phase.arrive(&Route::Check);
        assert_eq!(phase, Phase::Checking);
        assert_eq!(phase.changed_from(), None);
        assert!(phase.may_send());
    }

    #[test]
    fn a_change_link_does_nothing_while_sending_or_sent() {
        assert_eq!(Phase::Sending.change(vec![0]), Phase::Sending);
        assert_eq!(sent().change(vec![0]), sent());
        assert_eq!(ANSWERING.change(vec![0, 2, 3, 4, 5]), changing());
        assert_eq!(Phase::Cleared.change(vec![0, 2, 3, 4, 5]), changing());
    }

    #[test]
    fn continue_reaching_check_makes_send_possible() {
        for phase in [ANSWERING, changing(), Phase::Checking, Phase::Cleared] {
            let at_check = phase.clone().arrive(&Route::Check);
            assert_eq!(at_check, Phase::Checking, "from {phase:?}");
            assert!(at_check.may_send());
        }
    }

    #[test]
    fn leaving_check_your_answers_other_than_by_a_change_link_is_answering_as_usual() {
        assert_eq!(Phase::Checking.arrive(&page()), ANSWERING);
        assert_eq!(Phase::Checking.arrive(&Route::Start), ANSWERING);
    }

    #[test]
    fn answering_stays_answering_on_the_start_page_and_question_pages() {
        for phase in [ANSWERING, changing()] {
            assert_eq!(phase.clone().arrive(&Route::Start), phase);
            assert_eq!(phase.clone().arrive(&page()), phase);
        }
    }

    #[test]
    fn send_starts_saving_only_from_check_your_answers() {
        assert_eq!(Phase::Checking.send(), Phase::Sending);
        for phase in every_phase().into_iter().filter(|p| *p != Phase::Checking) {
            assert!(!phase.may_send(), "{phase:?}");
            assert_eq!(phase.clone().send(), phase, "Send from {phase:?}");
        }
    }

    #[test]
    fn a_double_tap_on_send_sends_once() {
        // Historic bug: the second tap, before the page changed, sent the emptied form.
        let first = Phase::Checking;
        assert!(first.may_send());
        let saving = first.send();
        assert!(!saving.may_send(), "the second tap must do nothing");
        assert_eq!(saving.clone().send(), Phase::Sending);
        // A third tap after saving, before the confirmation is drawn, does nothing either.
        let done = saving.sent("id-1".into(), true);
        assert!(!done.may_send());
        assert_eq!(done.clone().send(), done);
    }

    #[test]
    fn saving_to_the_outbox_shows_the_confirmation_for_that_submission() {
        let phase = Phase::Sending.sent("id-1".into(), true);
        assert_eq!(phase, sent());
        assert_eq!(phase.sent_id(), Some("id-1"));
        assert!(!phase.not_saved());
        assert_eq!(phase.clone().arrive(&Route::Sent), phase, "the confirmation keeps it");
        assert_eq!(Route::Sent.allowed(&form(), &Default::default(), &phase), Route::Sent);
    }

    #[test]
    fn not_saved_on_the_device_it_is_held_in_memory_and_the_confirmation_says_so() {
        let phase = Phase::Sending.sent("id-2".into(), false);
        assert_eq!(phase, Phase::Sent { id: "id-2".into(), saved: false });
        assert_eq!(phase.sent_id(), Some("id-2"));
        assert!(phase.not_saved());
    }

    #[test]
    fn a_save_finishing_outside_sending_changes_nothing() {
        for phase in every_phase().into_iter().filter(|p| *p != Phase::Sending) {
            assert_eq!(phase.clone().sent("late".into(), true), phase, "{phase:?}");
        }
    }

    #[test]
    fn while_saving_the_address_changes_nothing() {
        for route in every_route() {
            assert_eq!(Phase::Sending.arrive(&route), Phase::Sending, "{route:?}");
        }
        assert_eq!(Route::Sent.allowed(&form(), &Default::default(), &Phase::Sending), Route::Start);
    }

    #[test]
    fn leaving_the_confirmation_by_any_route_starts_a_new_set_of_answers_that_send_accepts() {
        // Historic bug: after Back from the confirmation, Send did nothing.
        for saved in [true, false] {
            // Back (to the last question page), a typed address, "Start again" or the start page's "Start now".
            for route in [page(), Route::Start, Route::Check] {
                let phase = Phase::Sent { id: "id-1".into(), saved }.arrive(&route);
                assert_eq!(phase.sent_id(), None, "{route:?}");
                let at_check = phase.arrive(&Route::Check);
                assert!(at_check.may_send(), "Send after leaving by {route:?}");
                assert_eq!(at_check.send(), Phase::Sending);
            }
        }
        assert_eq!(sent().arrive(&Route::Start).start_now(), ANSWERING);
        // The confirmation itself cannot be reached again once left.
        let left = sent().arrive(&Route::Start);
        assert_eq!(Route::Sent.allowed(&form(), &Default::default(), &left), Route::Start);
    }

    #[test]
    fn the_whole_of_a_second_set_of_answers_after_back() {
        let phase = Phase::default().start_now().arrive(&page()).arrive(&Route::Check).send().sent("one".into(), true);
        let phase = phase.arrive(&Route::Sent).arrive(&page()).arrive(&Route::Check);
        let phase = phase.send().sent("two".into(), true);
        assert_eq!(phase.sent_id(), Some("two"));
    }

    #[test]
    fn clear_my_answers_says_cleared_on_the_start_page_until_the_person_moves_on() {
        for phase in every_phase().into_iter().filter(|p| *p != Phase::Sending) {
            assert_eq!(phase.clone().clear(), Phase::Cleared, "from {phase:?}");
        }
        let cleared = changing().clear();
        assert!(cleared.cleared());
        assert_eq!(cleared.changed_from(), None);
        assert!(!cleared.may_send());
        // Drawn again on the start page (a change of language, easy read): still said.
        assert_eq!(cleared.clone().arrive(&Route::Start), Phase::Cleared);
        // Start now, or a question page by address: said once, then gone.
        assert_eq!(cleared.clone().start_now(), ANSWERING);
        assert_eq!(cleared.clone().arrive(&page()), ANSWERING);
        assert_eq!(cleared.arrive(&Route::Check), Phase::Checking);
    }

    #[test]
    fn clearing_while_saving_lets_the_submission_go_on() {
        assert_eq!(Phase::Sending.clear(), Phase::Sending);
        assert_eq!(Phase::Sending.clear().sent("id-1".into(), true), sent());
    }

    #[test]
    fn quick_exit_leaves_nothing_to_say_from_any_phase() {
        for phase in every_phase() {
            let after = phase.clone().exit();
            assert_eq!(after, ANSWERING, "from {phase:?}");
            assert!(!after.cleared() && after.changed_from().is_none() && after.sent_id().is_none());
        }
    }

    #[test]
    fn only_the_confirmation_follows_an_address_while_sent_and_nothing_else_is_reached_from_it() {
        // Every phase and route: arriving never invents a submission, and never allows Send while saving.
        for phase in every_phase() {
            for route in every_route() {
                let next = phase.clone().arrive(&route);
                if next.sent_id().is_some() {
                    assert_eq!((route.clone(), next.clone()), (Route::Sent, phase.clone()));
                }
                if phase == Phase::Sending {
                    assert!(!next.may_send());
                }
                assert_eq!(next.may_send(), route == Route::Check && phase != Phase::Sending, "{phase:?} {route:?}");
            }
        }
    }
}
