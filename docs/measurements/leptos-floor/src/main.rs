//! The smallest Leptos 0.8 app built as the form's app is built: hydrates a drawn page, or draws it itself.
use leptos::prelude::*;

#[cfg(not(feature = "screens"))]
#[component]
fn App() -> impl IntoView {
    let (count, set_count) = signal(0);
    view! {
        <main>
            <h1>"Hello"</h1>
            <button on:click=move |_| set_count.update(|n| *n += 1)>{count}</button>
        </main>
    }
}

#[cfg(feature = "screens")]
#[component]
fn Question(label: String, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label for="q">{label}</label>
        <input id="q" prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e)) />
    }
}

#[cfg(feature = "screens")]
#[component]
fn App() -> impl IntoView {
    let page = RwSignal::new(0usize);
    let answer = RwSignal::new(String::new());
    let long = Memo::new(move |_| answer.with(|a| a.len() > 10));
    Effect::new(move |_| {
        if long.get() {
            leptos::logging::log!("long");
        }
    });
    let items = vec!["one", "two", "three"];
    view! {
        <main>
            {move || match page.get() {
                0 => view! {
                    <h1>"Start"</h1>
                    <ul>{items.iter().map(|i| view! { <li>{*i}</li> }).collect_view()}</ul>
                    <button on:click=move |_| page.set(1)>"Start now"</button>
                }.into_any(),
                _ => view! {
                    <Question label="Your answer".into() value=answer />
                    <p class:error=move || long.get()>{move || answer.get()}</p>
                    <button on:click=move |_| page.set(0)>"Back"</button>
                }.into_any(),
            }}
        </main>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    if document().body().is_some_and(|b| b.child_element_count() > 0) {
        leptos::mount::hydrate_body(App);
    } else {
        leptos::mount::mount_to_body(App);
    }
}
