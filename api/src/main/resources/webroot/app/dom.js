// A small element builder: text always goes in as text, never as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "value") el.value = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function field(label, input, hint) {
  const id = input.id || "f-" + Math.random().toString(36).slice(2);
  input.id = id;
  if (hint) input.setAttribute("aria-describedby", id + "-hint");
  return h("div", { class: "field" }, h("label", { for: id, text: label }), input,
    hint ? h("small", { id: id + "-hint", text: hint }) : null);
}

export function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}
