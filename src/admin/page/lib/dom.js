// Element building. Data goes into the page as text nodes only (never parsed as markup), so
// names typed into chat platforms cannot inject anything into the admin's browser.

export const $ = (selector, root = document) => root.querySelector(selector)
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)]

/** Builds an element; string children become text nodes (never parsed as HTML). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'class') el.className = value
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value)
    else if (key === 'value') el.value = value
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
  return el
}

/** The English half of a bilingual label, shown smaller. */
export const en = (text) => h('span', { class: 'en' }, text)

export function table(headers, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map((title) => h('th', {}, title)))), h('tbody', {}, rows))
}

export function emptyNote(text) {
  return h('p', { class: 'empty' }, text)
}
