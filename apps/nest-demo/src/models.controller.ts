import { Controller, Get } from '@nestjs/common';
import { listModels, type ModelList } from '@claude-auth/demo-kit';

/** `GET /v1/models`: the static model list (behind the global `ApiKeyGuard`). */
@Controller('v1/models')
export class ModelsController {
  @Get()
  list(): ModelList {
    return listModels();
  }
}
