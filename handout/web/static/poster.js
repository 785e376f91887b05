// The poster page: every change previews the poster; the buttons download it whole or tiled.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const TEXT = ["program", "size", "viewing_distance", "qr", "tile", "overlap"];
  const FLAGS = ["landscape", "fit", "greyscale"];

  function state() {
    const data = {};
    for (const name of TEXT) data[name] = $(name).value;
    for (const name of FLAGS) data[name] = $(name).checked;
    return data;
  }

  const refresh = Handout.previewer("/api/poster/preview", state, "Poster page", (data) => {
    $("readable").textContent = data.readable;
    return "Preview up to date.";
  });
  const soon = Handout.debounce(refresh, 200);
  for (const name of [...TEXT, ...FLAGS]) {
    $(name).addEventListener("input", soon);
    $(name).addEventListener("change", soon);
  }

  $("download").addEventListener("click", () => Handout.download("/api/poster/pdf", state(), "poster.pdf"));
  $("download-tiled").addEventListener("click", () => Handout.download("/api/poster/tiled", state(), "tiled.pdf"));
  refresh();
})();
