// The handout page: the chosen exercises as a list the clinician edits, a preview that
// follows every change, and the downloads. The server does every check and every build.
"use strict";

(() => {
  const library = JSON.parse(document.getElementById("library-data").textContent);
  const $ = (id) => document.getElementById(id);
  const chosen = $("chosen");
  const pages = $("pages");
  const template = $("row-template");
  const TEXT = ["patient", "clinician", "date", "page_size", "article", "log_weeks", "pain_limit", "qr", "notes"];
  let rows = [];

  function state() {
    const data = {program: $("program").value, exercises: rows.map((r) => ({...r}))};
    for (const name of TEXT) data[name] = $(name).value;
    data.large_print = $("large_print").checked;
    data.greyscale = $("greyscale").checked;
    data.layout = $("compact").checked ? "compact" : "standard";
    return data;
  }

  function rowFor(id) {
    return {...library.rows[$("program").value][id]};
  }

  function renderRows(focus) {
    chosen.replaceChildren();
    rows.forEach((row, n) => {
      const item = template.content.firstElementChild.cloneNode(true);
      item.dataset.index = String(n);
      item.dataset.id = row.id;
      item.querySelector(".row-name").textContent = (row.code ? row.code + "  " : "") + row.name;
      const img = item.querySelector("img");
      img.src = `/figure/${row.id}.png`;
      item.querySelector("[data-error='']").id = `error-exercise-${n}`;
      item.querySelectorAll("[data-word]").forEach((input) => {
        const word = input.dataset.word;
        input.id = `ex-${n}-${word}`;
        input.value = row[word] || "";
        item.querySelector(`label[data-for='${word}']`).htmlFor = input.id;
        item.querySelector(`[data-error='${word}']`).id = `error-exercise-${n}-${word}`;
      });
      item.querySelectorAll("button[data-action]").forEach((button) => {
        const verb = {up: "Move up", down: "Move down", remove: "Remove"}[button.dataset.action];
        button.setAttribute("aria-label", `${verb}: ${row.name}`);
        button.disabled = (button.dataset.action === "up" && n === 0) ||
                          (button.dataset.action === "down" && n === rows.length - 1);
      });
      chosen.appendChild(item);
    });
    $("chosen-empty").hidden = rows.length > 0;
    const taken = new Set(rows.map((r) => r.id));
    document.querySelectorAll("#library .add").forEach((button) => {
      const added = taken.has(button.dataset.id);
      button.disabled = added;
      button.textContent = added ? "Added" : "Add";
    });
    if (focus) {
      const target = chosen.querySelector(focus);
      if (target && !target.disabled) target.focus(); else $("program").focus();
    }
  }

  const preview = Handout.previewer("/api/handout/preview", state, "Page",
    (data) => `Preview up to date: ${data.page_count} page${data.page_count === 1 ? "" : "s"}.`);

  function refresh() {
    if ($("program").value || rows.length) return preview();
    Handout.showPages(pages, [], "Page");
    $("status").textContent = "Choose a program or add exercises to see the handout.";
  }
  const soon = Handout.debounce(refresh, 150);

  $("program").addEventListener("change", () => {
    const pid = $("program").value;
    if (pid) rows = library.programs[pid].items.map((id) => rowFor(id));
    renderRows();
    soon();
  });

  chosen.addEventListener("input", (event) => {
    const input = event.target.closest("[data-word]");
    if (!input) return;
    const n = Number(input.closest(".row").dataset.index);
    rows[n][input.dataset.word] = input.value;
    soon();
  });

  chosen.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const n = Number(button.closest(".row").dataset.index);
    const action = button.dataset.action;
    let focus = null;
    if (action === "up" && n > 0) {
      [rows[n - 1], rows[n]] = [rows[n], rows[n - 1]];
      focus = `.row[data-index='${n - 1}'] button[data-action='up']`;
    } else if (action === "down" && n < rows.length - 1) {
      [rows[n + 1], rows[n]] = [rows[n], rows[n + 1]];
      focus = `.row[data-index='${n + 1}'] button[data-action='down']`;
    } else if (action === "remove") {
      rows.splice(n, 1);
      focus = `.row[data-index='${Math.min(n, rows.length - 1)}'] button[data-action='remove']`;
    }
    renderRows(focus);
    soon();
  });

  $("library").addEventListener("click", (event) => {
    const button = event.target.closest("button.add");
    if (!button || button.disabled) return;
    rows.push(rowFor(button.dataset.id));
    renderRows(`.row[data-index='${rows.length - 1}'] [data-word='sets']`);
    soon();
  });

  function filterLibrary() {
    const wanted = {};
    document.querySelectorAll("[data-filter]").forEach((select) => { wanted[select.dataset.filter] = select.value; });
    let shown = 0;
    document.querySelectorAll("#library .card").forEach((card) => {
      const ok = (!wanted.goal || card.dataset.goal === wanted.goal) &&
                 (!wanted.position || card.dataset.position === wanted.position) &&
                 (!wanted.equipment || card.dataset.equipment.split("|").includes(wanted.equipment));
      card.hidden = !ok;
      shown += ok;
    });
    $("library-empty").hidden = shown > 0;
  }
  document.querySelectorAll("[data-filter]").forEach((select) => select.addEventListener("change", filterLibrary));

  for (const name of [...TEXT, "large_print", "greyscale", "compact"]) {
    $(name).addEventListener("input", soon);
    $(name).addEventListener("change", soon);
  }

  $("download").addEventListener("click", () => Handout.download("/api/handout/pdf", state(), "handout.pdf"));
  $("save-plan").addEventListener("click", () => Handout.download("/api/handout/plan", state(), "plan.yaml"));

  $("open-plan").addEventListener("click", () => $("open-plan-file").click());
  $("open-plan-file").addEventListener("change", async () => {
    const file = $("open-plan-file").files[0];
    $("open-plan-file").value = "";
    if (!file) return;
    const response = await Handout.post("/api/handout/open-plan", await file.arrayBuffer(), "application/yaml",
                                        {"X-File-Name": encodeURIComponent(file.name)});
    if (!response.ok) {
      Handout.showErrors(await Handout.errorsOf(response));
      return;
    }
    const data = await response.json();
    apply(data.state);
    $("notice").textContent = data.notice;
    $("notice").hidden = !data.notice;
    refresh();
  });

  function apply(loaded) {
    $("program").value = loaded.program || "";
    for (const name of TEXT) $(name).value = loaded[name] || "";
    $("large_print").checked = !!loaded.large_print;
    $("greyscale").checked = !!loaded.greyscale;
    $("compact").checked = loaded.layout === "compact";
    rows = loaded.exercises;
    renderRows();
  }

  renderRows();
})();
