// Reading forms, showing the API's field errors next to their inputs, and loading lists.

import { describeError, isUnauthorized } from './api.js'
import { $, $$, emptyNote, h } from './dom.js'
import { flash } from './flash.js'
import { fieldLabel } from './labels.js'

export function clearFormErrors(form) {
  $$('.field-error', form).forEach((el) => el.remove())
  $$('[aria-invalid]', form).forEach((el) => el.removeAttribute('aria-invalid'))
  const status = $('.form-status', form)
  if (status) status.replaceChildren()
}

/** The input (or group of inputs) for a field path; `holidays.3` falls back to `holidays`, and so on. */
function fieldTarget(form, field) {
  for (let path = field; path; path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '') {
    const found = form.querySelector(`[data-field="${CSS.escape(path)}"]`) ?? form.elements.namedItem(path)
    if (found) return found
  }
  return null
}

/** Marks each field the API named next to its input; the whole message also goes to the form's status box. */
export function showFormError(form, error) {
  if (isUnauthorized(error)) return // the sign-in screen already explained it
  clearFormErrors(form)
  const fields = Array.isArray(error?.body?.fields) ? error.body.fields : []
  for (const problem of fields) {
    const target = fieldTarget(form, problem.field)
    const el = target instanceof RadioNodeList ? target[0] : target
    if (!el || !(el instanceof Element)) continue
    el.setAttribute('aria-invalid', 'true')
    const anchor = el.closest('label') ?? el
    anchor.after(h('div', { class: 'field-error' }, `${fieldLabel(problem.field)}：${problem.message}`))
  }
  const status = $('.form-status', form)
  const message = h('div', { class: 'notice error' }, describeError(error))
  if (status) status.replaceChildren(message)
  else flash(describeError(error), 'error')
}

/** Runs a form submission with its button disabled, so a double click never creates two things. */
export async function submitting(form, work, afterError) {
  const button = $('button[type="submit"]', form)
  if (button?.disabled) return
  if (button) button.disabled = true
  clearFormErrors(form)
  try {
    await work()
  } catch (error) {
    showFormError(form, error)
    afterError?.(error)
  } finally {
    if (button) button.disabled = false
  }
}

/** Shows "loading", then what work() built, or the error in place of the list. */
export async function loadInto(container, work) {
  container.replaceChildren(emptyNote('加载中… Loading…'))
  try {
    container.replaceChildren(await work())
  } catch (error) {
    if (isUnauthorized(error)) return container.replaceChildren()
    container.replaceChildren(h('div', { class: 'notice error' }, describeError(error)))
  }
}

export const trimmed = (form, name) => String(form.elements.namedItem(name)?.value ?? '').trim()

/** Other names typed separated by commas or spaces (Chinese punctuation too). */
export const aliasList = (form, name) => trimmed(form, name).split(/[\s,，、]+/).filter(Boolean)

/** A number field: undefined when empty; null when it holds text, so the API names the field. */
export function numberField(form, name) {
  const input = form.elements.namedItem(name)
  if (input.validity.badInput) return null
  return input.value.trim() === '' ? undefined : Number(input.value)
}
