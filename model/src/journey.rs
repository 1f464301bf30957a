use crate::{check_answer, Answers, Form, Problem, Question, Route};

/// What a person is shown, given their answers so far: skip logic applied.
///
/// Conditions only look at questions asked earlier, so one pass in form order is
/// enough; answers to questions that are not shown are left out of `answers`,
/// and so never sent and never used by later conditions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Journey {
    /// Indexes of the pages shown, in order.
    pub pages: Vec<usize>,
    /// Ids of the questions shown, in order.
    pub questions: Vec<String>,
    /// The answers to the questions shown: what would be sent.
    pub answers: Answers,
}

impl Journey {
    /// "Page `position` of `total`" for page `page`, counting only pages shown.
    pub fn progress(&self, page: usize) -> (usize, usize) {
        let position = self.pages.iter().filter(|&&p| p <= page).count().max(1);
        (position, self.pages.len())
    }
}

/// One problem on a page, for the error summary and the field it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageProblem {
    pub page: usize,
    pub question: String,
    pub problem: Problem,
}

impl Form {
    /// Applies the skip logic to `answers`.
    ///
    /// ```
    /// use feedback_model::{Answer, Answers, Form};
    /// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    /// let mut a = Answers::default();
    /// a.set("involved", Answer::Flag(false));
    /// a.set("contact", Answer::Text("07700 900123".into())); // typed, then changed their mind
    /// let j = form.journey(&a);
    /// assert!(j.answers.get("contact").is_none()); // never sent
    /// ```
    pub fn journey(&self, answers: &Answers) -> Journey {
        let mut j = Journey::default();
        for (i, page) in self.pages.iter().enumerate() {
            if !page.show_if.as_ref().is_none_or(|c| c.holds(&j.answers)) {
                continue;
            }
            let mut any = false;
            for q in &page.questions {
                if q.show_if.as_ref().is_none_or(|c| c.holds(&j.answers)) {
                    any = true;
                    j.questions.push(q.id.clone());
                    if let Some(a) = answers.get(&q.id) {
                        j.answers.set(&q.id, a.clone());
                    }
                }
            }
            if any {
                j.pages.push(i);
            }
        }
        j
    }

    /// The questions shown on page `page` for these answers.
    pub fn visible_questions(&self, page: usize, answers: &Answers) -> Vec<&Question> {
        let j = self.journey(answers);
        self.pages
            .get(page)
            .map_or_else(Vec::new, |p| p.questions.iter().filter(|q| j.questions.contains(&q.id)).collect())
    }

    /// What is wrong with the answers on page `page`, in question order.
    pub fn page_problems(&self, page: usize, answers: &Answers) -> Vec<PageProblem> {
        self.visible_questions(page, answers)
            .into_iter()
            .filter_map(|q| {
                check_answer(q, answers.get(&q.id)).err().map(|problem| PageProblem {
                    page,
                    question: q.id.clone(),
                    problem,
                })
            })
            .collect()
    }

    /// What is wrong anywhere on the pages shown: checked again before sending.
    pub fn problems(&self, answers: &Answers) -> Vec<PageProblem> {
        self.journey(answers).pages.into_iter().flat_map(|p| self.page_problems(p, answers)).collect()
    }

    /// The page Continue goes to from `page`, or `None` when it is the last.
    pub fn next_page(&self, page: usize, answers: &Answers) -> Option<usize> {
        self.journey(answers).pages.into_iter().find(|&p| p > page)
    }

    /// Where "Start now" leads: the first page shown for `answers`, or Check your answers if
    /// none is. (The app's start page and the server's `post` both ask this.)
    pub fn first_route(&self, answers: &Answers) -> Route {
        self.journey(answers).pages.first().map_or(Route::Check, |&p| Route::page(self, p))
    }

    /// Where Back leads from page `page`: the page shown before it, or the start page.
    pub fn back_route(&self, page: usize, answers: &Answers) -> Route {
        self.previous_page(page, answers).map_or(Route::Start, |p| Route::page(self, p))
    }

    /// Where Back leads from Check your answers: the last page shown, or the start page.
    pub fn back_from_check(&self, answers: &Answers) -> Route {
        self.journey(answers).pages.last().map_or(Route::Start, |&p| Route::page(self, p))
    }

    /// The page Back goes to from `page`, or `None` from the first.
    pub fn previous_page(&self, page: usize, answers: &Answers) -> Option<usize> {
        self.journey(answers).pages.into_iter().rev().find(|&p| p < page)
    }

    /// "Page `position` of `total`" for page `page`, counting only pages shown.
    pub fn progress(&self, page: usize, answers: &Answers) -> (usize, usize) {
        self.journey(answers).progress(page)
    }

    /// Where Continue goes from page `page`. Normally the next page shown, or Check
    /// your answers after the last. After a Change link from Check your answers
    /// (`changed_from`: the pages shown then, [`crate::Phase::changed_from`]), it goes to
    /// the first page the change newly revealed, else straight back to Check your answers.
    ///
    /// ```
    /// use feedback_model::{Answer, Answers, Form, Route};
    /// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    /// let mut a = Answers::default();
    /// let shown = [0, 2, 3, 4, 5];
    /// assert_eq!(form.continue_to(0, &a, Some(&shown)), Route::Check);
    /// a.set("ways", Answer::Choices(vec!["video".into()])); // reveals the ratings page
    /// assert_eq!(form.continue_to(0, &a, Some(&shown)), Route::Page("how-well".into()));
    /// assert_eq!(form.continue_to(2, &a, None), Route::Page("your-worker".into()));
    /// ```
    pub fn continue_to(&self, page: usize, answers: &crate::Answers, changed_from: Option<&[usize]>) -> crate::Route {
        let pages = self.journey(answers).pages;
        let next = pages.into_iter().find(|&p| p > page && !changed_from.is_some_and(|shown| shown.contains(&p)));
        next.map_or(crate::Route::Check, |p| crate::Route::page(self, p))
    }
}
