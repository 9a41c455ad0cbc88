/** Row `bare-nest-express`: NestJS 11 on the Express platform, no authentication. */
import { Module } from '@nestjs/common';
import { MessagesController, startNest } from './nest-app.js';

@Module({ controllers: [MessagesController] })
class AppModule {}

await startNest(AppModule, 'express');
