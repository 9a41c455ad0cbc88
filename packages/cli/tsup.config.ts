import { packageConfig } from '../../tsup.config.base.ts';

export default packageConfig({
  // `cli.ts` is the `claude-auth` bin (dist/cli.js, shebang kept and made executable by tsup).
  entry: ['src/index.ts', 'src/cli.ts'],
  dts: { entry: ['src/index.ts'] },
});
