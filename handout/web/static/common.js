// Shared by the three pages: posting with the page's token, errors beside their fields,
// downloads that only ever save a whole file.
"use strict";

const Handout = (() => {
  const token = document.querySelector('meta[name="handout-token"]').content;

  async function post(url, body, contentType = "application/json", extraHeaders = {}) {
    const headers = {"X-Handout-Token": token, "Content-Type": contentType, ...extraHeaders};
    const data = contentType === "application/json" ? JSON.stringify(body) : body;
    return fetch(url, {method: "POST", headers, body: data, credentials: "same-origin", cache: "no-store"});
  }

  async function errorsOf(response) {
    try {
      const data = await response.json();
      return data.errors || {form: "the server answered " + response.status};
    } catch (e) {
      return {form: "the server answered " + response.status};
    }
  }

  // errors: {field: message}; each goes to #error-<field with dots as dashes>, the rest to #error-form.
  function showErrors(errors, root = document) {
    root.querySelectorAll(".error").forEach((p) => { p.textContent = ""; });
    root.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const general = document.getElementById("error-form");
    const leftover = [];
    for (const [field, message] of Object.entries(errors || {})) {
      const place = document.getElementById("error-" + field.replaceAll(".", "-"));
      if (place) {
        place.textContent = message;
        const input = place.parentElement && place.parentElement.querySelector("input, select, textarea");
        if (input) {
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", place.id);
        }
      } else {
        leftover.push(message);
      }
    }
    if (general) {
      general.textContent = leftover.join("\n");
      general.hidden = leftover.length === 0;
    }
    return Object.keys(errors || {}).length;
  }

  function fileName(response, fallback) {
    const header = response.headers.get("content-disposition") || "";
    const match = header.match(/filename="([^"]+)"/);
    return match ? match[1] : fallback;
  }

  // Save a response's body as a file, only once it has all arrived.
  async function saveResponse(response, fallback) {
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    const name = fileName(response, fallback);
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    return name;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  // Show the pages at urls (only changed ones load again); resolves once they are drawn.
  async function showPages(container, urls, label) {
    const images = container.querySelectorAll("img");
    const loading = [];
    urls.forEach((url, i) => {
      let img = images[i];
      if (!img) {
        img = document.createElement("img");
        container.appendChild(img);
      }
      if (img.getAttribute("src") !== url) {
        img.src = url;
        loading.push(img.decode().catch(() => null));
      }
      img.alt = `${label} ${i + 1} of ${urls.length}`;
    });
    for (let i = urls.length; i < images.length; i++) images[i].remove();
    await Promise.all(loading);
    container.dataset.version = String(Number(container.dataset.version || 0) + 1);
  }

  // A preview that follows the form: posts state() to url, shows the pages and the command;
  // done(data) says what the status line says. Only the newest answer is shown.
  function previewer(url, state, label, done) {
    const pages = document.getElementById("pages");
    const status = document.getElementById("status");
    let sequence = 0;
    return async function refresh() {
      const mine = ++sequence;
      pages.dataset.state = "updating";
      status.textContent = "Updating the preview…";
      let response;
      try {
        response = await post(url, state());
      } catch (e) {
        pages.dataset.state = "error";
        status.textContent = "The server does not answer: is 'handout serve' still running?";
        return;
      }
      if (mine !== sequence) return;  // a newer change is on its way
      if (!response.ok) {
        showErrors(await errorsOf(response));
        pages.dataset.state = "error";
        status.textContent = "The preview waits for the fixes shown in red.";
        return;
      }
      const data = await response.json();
      if (mine !== sequence) return;
      showErrors({});
      await showPages(pages, data.pages, label);
      if (mine !== sequence) return;
      document.getElementById("command").textContent = data.command;
      pages.dataset.state = "ready";
      status.textContent = done(data);
    };
  }

  // Post the form and save the answer as a file, or show why not.
  async function download(url, body, fallback) {
    const status = document.getElementById("status");
    status.textContent = "Making the file…";
    const response = await post(url, body);
    if (!response.ok) {
      showErrors(await errorsOf(response));
      status.textContent = "Nothing was saved: fix what is shown in red.";
      return;
    }
    status.textContent = `Downloaded ${await saveResponse(response, fallback)}.`;
  }

  return {post, errorsOf, showErrors, saveResponse, debounce, showPages, previewer, download};
})();
