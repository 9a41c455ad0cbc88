// `koa2` is an npm alias of koa@2 (devDependencies), typed as the koa module.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
