/**
 * Entry point of the visualizer: load the styles, define the elements, mount the app.
 *
 * Everything else happens in `<viz-app>` (viz/src/ui/viz-app.ts): it reads the deep link
 * (`?run=…&step=…&sel=…&lang=…&motion=…`), loads the run and exposes `window.__viz` for
 * the browser tests. The model (viz/src/model/) is pure TypeScript and knows nothing of
 * the DOM; the UI (viz/src/ui/) only draws what the model computes.
 */
import './ui/styles.css';
import { defineElements } from './ui/elements.js';

defineElements();
const root = document.getElementById('app');
if (root !== null && root.querySelector('viz-app') === null) root.append(document.createElement('viz-app'));
