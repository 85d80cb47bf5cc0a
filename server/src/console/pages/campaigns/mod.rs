//! Assessment campaigns of a profile: list and create, a campaign's progress and state, an
//! assessor's next questions as a form, and the review with send-back and sign-off.

mod answers;
mod list;
mod overview;
mod questions;
mod review;
mod transitions;

use super::write::{invalid, write, Call};
use crate::console::render::enc;

pub(crate) use answers::answer;
pub(crate) use list::{create, index};
pub(crate) use overview::show;
pub(crate) use questions::questions;
pub(crate) use transitions::{send_back, set_state, sign_off};

/// Questions one form shows.
const PER_FORM: u32 = 10;

fn campaign_href(id: &str) -> String {
    format!("/ui/campaigns/{}", enc(id))
}
