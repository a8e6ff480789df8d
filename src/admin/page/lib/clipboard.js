// Copy buttons for webhook addresses and binding commands.

import { h } from './dom.js'
import { flash } from './flash.js'

export async function copyText(text, button) {
  let copied = false
  try {
    await navigator.clipboard.writeText(text)
    copied = true
  } catch {
    // navigator.clipboard needs https or localhost; fall back to the old selection copy.
    const area = h('textarea', { readonly: true, class: 'offscreen' })
    area.value = text
    document.body.append(area)
    area.select()
    try {
      copied = document.execCommand('copy')
    } catch {
      copied = false
    }
    area.remove()
  }
  if (copied) {
    const before = button.textContent
    button.textContent = '已复制 ✓'
    setTimeout(() => (button.textContent = before), 1500)
  } else {
    flash('无法自动复制，请选中文字后按 Ctrl+C 复制。', 'info')
  }
}

/** A read-only field holding the value, with a button that copies it. */
export function copyRow(value) {
  const input = h('input', { readonly: true, value, spellcheck: 'false', onfocus: (event) => event.target.select() })
  const button = h('button', { type: 'button', class: 'secondary small', onclick: () => copyText(value, button) }, '复制')
  return h('div', { class: 'copy-row' }, input, button)
}
