//! Form building blocks: a labelled field that shows its own error message, text inputs bound to a signal,
//! selects and checkbox groups over the coded enumerations. Large touch targets, mobile first.

use crate::codes::Choice;
use crate::error::AppError;
use crate::i18n::use_zh;
use leptos::prelude::*;

/// The current form's last error, shared with every field of the form.
#[derive(Clone, Copy)]
pub struct FormErrors(pub RwSignal<Option<AppError>>);

pub fn provide_form_errors() -> RwSignal<Option<AppError>> {
    let s = RwSignal::new(None);
    provide_context(FormErrors(s));
    s
}

fn field_error(name: &'static str) -> impl Fn() -> Option<String> + Send + Sync + Copy + 'static {
    let errors = use_context::<FormErrors>().map(|f| f.0).unwrap_or_else(|| RwSignal::new(None));
    let zh = use_zh();
    move || errors.get().and_then(|e| e.field_message(name, zh.get()))
}

/// A label, the control(s) and the field's error message.
#[component]
pub fn Field(name: &'static str, zh: &'static str, en: &'static str, children: Children) -> impl IntoView {
    let lang = use_zh();
    let err = field_error(name);
    view! {
        <div class="field" class:invalid=move || err().is_some() data-field=name>
            <label for=name>{move || if lang.get() { zh } else { en }}</label>
            {children()}
            <Show when=move || err().is_some()>
                <p class="field-error" role="alert">{err}</p>
            </Show>
        </div>
    }
}

/// A text-like input (`text`, `number`, `date`, `tel`, `password`, `search`) bound to a string signal.
#[component]
pub fn Input(
    name: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] step: &'static str,
    #[prop(optional)] inputmode: &'static str,
    /// What the browser may fill in (`username`, `current-password`, …); empty: the browser decides.
    #[prop(optional)]
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <input
            type=kind
            name=name
            id=name
            placeholder=placeholder
            step=(!step.is_empty()).then_some(step)
            inputmode=(!inputmode.is_empty()).then_some(inputmode)
            autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
    }
}

/// A labelled single-line field in one go.
#[component]
pub fn TextField(
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] step: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <Field name zh en>
            <Input name value kind placeholder step inputmode autocomplete/>
        </Field>
    }
}

/// A select over a code table; the empty option means "not chosen".
#[component]
pub fn CodeSelect(name: &'static str, table: &'static [Choice], value: RwSignal<Option<u8>>) -> impl IntoView {
    let zh = use_zh();
    view! {
        <select
            name=name
            id=name
            on:change=move |ev| value.set(event_target_value(&ev).parse().ok())
            prop:value=move || value.get().map(|c| c.to_string()).unwrap_or_default()
        >
            <option value="">{move || if zh.get() { "请选择" } else { "Choose" }}</option>
            {table
                .iter()
                .map(|c| {
                    let code = c.code;
                    view! {
                        <option value=code.to_string() selected=move || value.get() == Some(code)>
                            {move || if zh.get() { c.zh } else { c.en }}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// Checkboxes over a code table, bound to the list of chosen codes.
#[component]
pub fn CodeChecks(name: &'static str, table: &'static [Choice], values: RwSignal<Vec<u8>>) -> impl IntoView {
    let zh = use_zh();
    view! {
        <div class="checks" id=name>
            {table
                .iter()
                .map(|c| {
                    let code = c.code;
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                name=name
                                value=code.to_string()
                                prop:checked=move || values.with(|v| v.contains(&code))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    values.update(|v| {
                                        v.retain(|x| *x != code);
                                        if on {
                                            v.push(code);
                                            v.sort();
                                        }
                                    });
                                }
                            />
                            <span>{move || if zh.get() { c.zh } else { c.en }}</span>
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The banner above a form: the error's one-line message.
#[component]
pub fn FormError() -> impl IntoView {
    let errors = use_context::<FormErrors>().map(|f| f.0).unwrap_or_else(|| RwSignal::new(None));
    let zh = use_zh();
    view! {
        <Show when=move || errors.with(Option::is_some)>
            <div class="form-error" role="alert">
                {move || errors.get().map(|e| e.message(zh.get()))}
            </div>
        </Show>
    }
}

/// Parses an optional number typed into a field: `Some(None)` when empty, `None` when it is not a number.
pub fn parse_opt<T: std::str::FromStr>(s: &str) -> Option<Option<T>> {
    let s = s.trim();
    if s.is_empty() {
        Some(None)
    } else {
        s.parse().ok().map(Some)
    }
}

/// Choices of a typed option list (the later forms keep their options as enums, not printed codes): the
/// option's position is its value in the page, its `label` what is shown.
#[component]
pub fn EnumSelect<T>(
    name: &'static str,
    options: &'static [T],
    label: fn(T, bool) -> &'static str,
    value: RwSignal<Option<T>>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let zh = use_zh();
    view! {
        <select
            name=name
            id=name
            on:change=move |ev| value.set(event_target_value(&ev).parse::<usize>().ok().and_then(|i| options.get(i).copied()))
            prop:value=move || value.get().and_then(|v| options.iter().position(|o| *o == v)).map(|i| i.to_string()).unwrap_or_default()
        >
            <option value="">{move || if zh.get() { "请选择" } else { "Choose" }}</option>
            {options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let o = *o;
                    view! {
                        <option value=i.to_string() selected=move || value.get() == Some(o)>
                            {move || label(o, zh.get())}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// Checkboxes over a typed option list, bound to the set of chosen options.
#[component]
pub fn EnumChecks<T>(
    name: &'static str,
    options: &'static [T],
    label: fn(T, bool) -> &'static str,
    values: RwSignal<std::collections::BTreeSet<T>>,
) -> impl IntoView
where
    T: Copy + Ord + Send + Sync + 'static,
{
    let zh = use_zh();
    view! {
        <div class="checks" id=name>
            {options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let o = *o;
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                name=name
                                value=i.to_string()
                                prop:checked=move || values.with(|v| v.contains(&o))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    values.update(|v| {
                                        if on {
                                            v.insert(o);
                                        } else {
                                            v.remove(&o);
                                        }
                                    });
                                }
                            />
                            <span>{move || label(o, zh.get())}</span>
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// A referral on a form: 有 / 无, and when 有 the reason and the facility (`referral`, `referral_reason`,
/// `referral_institution`, as the wire types name them).
#[component]
pub fn ReferralFields(
    referral: RwSignal<bool>,
    reason: RwSignal<String>,
    institution: RwSignal<String>,
    #[prop(default = "转诊")] zh: &'static str,
    #[prop(default = "Referral")] en: &'static str,
) -> impl IntoView {
    let lang = use_zh();
    view! {
        <Field name="referral" zh en>
            <label class="check">
                <input
                    type="checkbox"
                    name="referral"
                    prop:checked=move || referral.get()
                    on:change=move |ev| referral.set(event_target_checked(&ev))
                />
                <span>{move || if lang.get() { "有" } else { "Yes" }}</span>
            </label>
        </Field>
        <Show when=move || referral.get()>
            <div class="grid2">
                <TextField name="referral_reason" zh="转诊原因" en="Reason" value=reason/>
                <TextField name="referral_institution" zh="机构及科室" en="Facility and department" value=institution/>
            </div>
        </Show>
    }
}
