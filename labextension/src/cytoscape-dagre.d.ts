declare module 'cytoscape-dagre' {
  import type { Ext } from 'cytoscape';
  const register: Ext;
  export default register;
}
