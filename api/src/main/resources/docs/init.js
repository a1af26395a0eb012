// Renders /openapi.yaml. Kept out of index.html so the page needs no inline script.
window.onload = function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#api', deepLinking: true });
};
