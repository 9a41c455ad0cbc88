// `express4` is an npm alias of express@4 (devDependencies), typed as the express module.
declare module 'express4' {
  import express from 'express';
  export default express;
}
