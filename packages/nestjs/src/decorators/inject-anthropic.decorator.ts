import { Inject } from '@nestjs/common';
import { ANTHROPIC_CLIENT } from '../claude-auth.constants.js';

/**
 * Injects the official `@anthropic-ai/sdk` client that `ClaudeClientModule` provides (the token
 * `ANTHROPIC_CLIENT`). Type the parameter with the SDK's own class for its full typed surface.
 *
 * @example
 * ```ts
 * import Anthropic from '@anthropic-ai/sdk';
 *
 * @Injectable()
 * export class SummaryService {
 *   constructor(@InjectAnthropic() private readonly claude: Anthropic) {}
 * }
 * ```
 */
export const InjectAnthropic = (): PropertyDecorator & ParameterDecorator =>
  Inject(ANTHROPIC_CLIENT);
