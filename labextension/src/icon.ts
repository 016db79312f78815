import { LabIcon } from '@jupyterlab/ui-components';

/** Three steps feeding a fourth: the panel's icon (coloured by the theme, `jp-icon3`). */
const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
  '<g class="jp-icon3" fill="#616161"><circle cx="5" cy="6" r="2.6"/><circle cx="5" cy="18" r="2.6"/>' +
  '<circle cx="19" cy="12" r="2.6"/><rect x="10.2" y="9.6" width="4.8" height="4.8" rx="1"/></g>' +
  '<g class="jp-icon3" fill="none" stroke="#616161" stroke-width="1.6">' +
  '<path d="M7.4 7.2 10.4 10.6M7.4 16.8 10.4 13.4M15 12h1.4"/></g></svg>';

export const lineageIcon = new LabIcon({
  name: 'sagemaker-lineage:icon',
  svgstr: svg
});
